import type { Logger } from '../log/logger';
import { describeCommandForLog } from './iso7816/apdu';
import type { CardSession } from './transport/card-transport';

/**
 * Wraps a session so every exchange leaves a debug line: the command in hex with the data of
 * VERIFY / CHANGE / RESET RETRY COUNTER redacted, and for the answer only its length and SW (answers
 * carry names and NIRs).
 */
export function traceSession(session: CardSession, log: Logger): CardSession {
  return {
    reader: session.reader,
    protocol: session.protocol,
    atr: session.atr,
    async transmit(apdu: Uint8Array): Promise<Uint8Array> {
      log.debug('apdu command', { reader: session.reader, apdu: describeCommandForLog(apdu) });
      const response = await session.transmit(apdu);
      const sw =
        response.length >= 2
          ? ((response[response.length - 2] ?? 0) << 8) | (response[response.length - 1] ?? 0)
          : -1;
      log.debug('apdu response', {
        reader: session.reader,
        length: response.length,
        sw: sw < 0 ? 'none' : sw.toString(16).padStart(4, '0'),
      });
      return response;
    },
    close: (disposition) => session.close(disposition),
  };
}
