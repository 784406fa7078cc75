import { join } from 'node:path';
import type { ReaderView } from '../../../src/shared/contract/cards';
import type { CardService } from '../../../src/main/cards/card-service';
import { loadCardProfiles, type CardProfile } from '../../../src/main/cards/emulator';
import type { CardSession, Protocol } from '../../../src/main/cards/transport/card-transport';

export const profilesDir = join(import.meta.dirname, '../../../resources/cards');
const all = loadCardProfiles(profilesDir);

export function profile(id: string): CardProfile {
  const found = all.find((p) => p.id === id);
  if (!found) throw new Error(`no profile ${id}`);
  return structuredClone(found);
}

export const allProfiles = (): CardProfile[] => structuredClone(all);

export const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s/g, ''), 'hex'));
export const toHexString = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').toUpperCase();

/** Resolves with the first published views for which `predicate` holds (events, no sleeps). */
export function waitForReaders(
  service: CardService,
  predicate: (readers: ReaderView[]) => boolean,
): Promise<ReaderView[]> {
  return new Promise((resolve) => {
    if (predicate(service.readers())) {
      resolve(service.readers());
      return;
    }
    const off = service.onChange((readers) => {
      if (predicate(readers)) {
        off();
        resolve(readers);
      }
    });
  });
}

export const settled =
  (reader: string) =>
  (readers: ReaderView[]): boolean => {
    const view = readers.find((r) => r.name === reader);
    return view !== undefined && !view.busy && (view.card !== null || view.error !== undefined);
  };

/** A scripted session: answers come from `script` in order and every command is recorded. */
export function scriptedSession(
  script: string[],
  protocol: Protocol = 'T0',
): CardSession & { sent: Uint8Array[]; sentCopies: string[] } {
  const sent: Uint8Array[] = [];
  const sentCopies: string[] = [];
  let i = 0;
  return {
    reader: 'scripted',
    protocol,
    atr: hex('3B 75 13 00 00 47 09 EA 90 00'),
    sent,
    sentCopies,
    async transmit(apdu: Uint8Array): Promise<Uint8Array> {
      sent.push(apdu);
      sentCopies.push(toHexString(apdu));
      const answer = script[i++];
      if (answer === undefined) throw new Error('script exhausted');
      return hex(answer);
    },
    async close(): Promise<void> {},
  };
}
