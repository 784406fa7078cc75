import type { ReaderDisplay, ReaderView, SessionState } from '../../shared/contract';

/**
 * What the renderer may be told about the readers. Before a professional has authenticated (CPS or
 * CPE + PIN), a Vitale is reduced to "a Vitale is present": the renderer is a separate, less
 * trusted process and nobody has yet proved they may see who the patient is.
 */
export function readersForDisplay(
  readers: readonly ReaderView[],
  session: Pick<SessionState, 'status'>,
): ReaderDisplay[] {
  const authenticated = session.status === 'authenticated';
  return readers.map((reader) => {
    if (authenticated || reader.card?.kind !== 'vitale') return reader;
    return { ...reader, card: { kind: 'vitale-hidden', status: reader.card.status } };
  });
}
