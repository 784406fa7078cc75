import { CardError } from '../errors';
import { concatBytes } from '../hex';
import type { CardSession } from '../transport/card-transport';
import { encodeApdu, type CommandApdu } from './apdu';
import { parseResponse, type ResponseApdu } from './status-words';

export interface TransmitOptions {
  /** Cap on the bytes gathered through GET RESPONSE; a card that keeps answering 61xx is broken. */
  maxResponseLength?: number;
  /** Cap on GET RESPONSE / re-send round trips. */
  maxIterations?: number;
  /** Zero every encoded buffer after sending (PIN-carrying commands). */
  sensitive?: boolean;
}

const DEFAULT_MAX_LENGTH = 65536;
const DEFAULT_MAX_ITERATIONS = 64;

/**
 * Sends one command and returns the complete response: follows `61xx` with GET RESPONSE and
 * answers `6Cxx` by re-sending with the Le the card asked for (ISO 7816-3 T=0 rules, also harmless
 * over T=1). The application never sees 61xx or 6Cxx.
 */
export async function transmitT0(
  session: CardSession,
  apdu: CommandApdu,
  options: TransmitOptions = {},
): Promise<ResponseApdu> {
  const maxLength = options.maxResponseLength ?? DEFAULT_MAX_LENGTH;
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const send = async (command: CommandApdu): Promise<ResponseApdu> => {
    const encoded = encodeApdu(command, { protocol: session.protocol });
    try {
      return parseResponse(await session.transmit(encoded));
    } finally {
      if (options.sensitive) encoded.fill(0);
    }
  };

  let response = await send(apdu);
  const chunks: Uint8Array[] = [];
  let gathered = 0;
  let lastCommand: CommandApdu = apdu;
  for (let iteration = 0; ; iteration++) {
    if (iteration >= maxIterations) {
      throw new CardError('protocol', {
        detail: `more than ${maxIterations} GET RESPONSE/re-send round trips`,
      });
    }
    if (response.sw1 === 0x6c) {
      // The card wants this exact Le: re-send the same command (or GET RESPONSE) with it.
      lastCommand = { ...lastCommand, le: response.sw2 === 0 ? 256 : response.sw2 };
      response = await send(lastCommand);
      continue;
    }
    if (response.sw1 === 0x61) {
      gathered += response.data.length;
      chunks.push(response.data);
      if (gathered > maxLength)
        throw new CardError('protocol', { detail: `response longer than ${maxLength} bytes` });
      lastCommand = {
        cla: apdu.cla & 0x03,
        ins: 0xc0,
        p1: 0,
        p2: 0,
        le: response.sw2 === 0 ? 256 : response.sw2,
      };
      response = await send(lastCommand);
      continue;
    }
    break;
  }
  if (chunks.length === 0) return response;
  const data = concatBytes(...chunks, response.data);
  if (data.length > maxLength)
    throw new CardError('protocol', { detail: `response longer than ${maxLength} bytes` });
  return { ...response, data };
}
