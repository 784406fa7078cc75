import type { DmpService, SystemActor } from '../dmp/dmp-service';
import { errorMessage } from '../cli/cli-context';
import type { ImportOutcome } from './protocol';

/**
 * Who deposits what `cli import` brings: the system actor imports have always used (`system:import`,
 * the id in the audit trail and in consent records), with the way it came in its audit name.
 */
export const cliImportActor: SystemActor = { system: 'import', via: 'ligne de commande' };
/** The same, when the running instance imported the files the CLI handed to it. */
export const handedOffImportActor: SystemActor = {
  system: 'import',
  via: 'ligne de commande, par l’instance en cours',
};

/** What an import needs of the DMP service. */
export type ImportTarget = Pick<DmpService, 'importCda' | 'refuseImportFile'>;

/** A file as the CLI read it: its bytes, or the cause and French reason it could not be read. */
export type ImportInput = { bytes: Uint8Array } | { refused: { cause: string; userMessage: string } };

/**
 * One file of `cli import`, wherever the store is: in the CLI's own process (cold path) or in the
 * instance holding the data folder (hand-off through the local import socket). Both run this, so
 * both audit, refuse and answer alike.
 */
export async function importOne(
  target: ImportTarget,
  input: ImportInput,
  create: boolean,
  actor: SystemActor,
): Promise<ImportOutcome> {
  if ('refused' in input) {
    // Logged and audited like any refused document; the refusal itself is what the CLI prints.
    await target
      .refuseImportFile(input.refused.cause, input.refused.userMessage, actor)
      .catch(() => undefined);
    return { ok: false, message: input.refused.userMessage };
  }
  try {
    const result = await target.importCda(input.bytes, { create, depositor: actor });
    return { ok: true, documentId: result.documentId, created: result.created, counts: { ...result.counts } };
  } catch (err) {
    return { ok: false, message: errorMessage(err) };
  }
}
