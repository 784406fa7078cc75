import { resolve } from 'node:path';
import { createVirtualCard, loadCardProfiles } from '../src/main/cards/emulator';
import { connectVirtualCardToVpcd } from '../src/main/cards/emulator/vpcd-client';
import { readCardInfo } from '../src/main/cards/read-card';
import type { TransportEvent } from '../src/main/cards/transport/card-transport';
import { PcscliteTransport } from '../src/main/cards/transport/pcsclite-transport';
import { SimulatedTransport } from '../src/main/cards/transport/simulated-transport';
import type { CardSession } from '../src/main/cards/transport/card-transport';
import { summarise, type BenchResult } from './types';

/**
 * Card insertion to decoded beneficiaries over the real stack (vpcd socket → pcscd → pcsclite addon
 * → PcscliteTransport → Vitale reader), split into pcscd's own presence polling (vpcd connect →
 * card-inserted, bounded by its 400 ms poll) and our part (card-inserted → beneficiaries decoded).
 */

const READER = 'Virtual PCD 00 01';
const PORT = 35964;
const PROFILE = 'vitale-famille';
const SELECT_MF = Uint8Array.of(0x00, 0xa4, 0x00, 0x00, 0x02, 0x3f, 0x00);

interface PcscdLauncher {
  startPcscd(): Promise<{ stop(): Promise<void> }>;
}

/**
 * The private-pcscd launcher lives with the integration tests, outside this TypeScript project
 * (tsconfig.node.json does not include tests/): load it at run time through a non-literal path.
 */
async function loadPcscdLauncher(): Promise<PcscdLauncher> {
  const path = '../tests/integration/support/pcscd.ts';
  return (await import(path)) as PcscdLauncher;
}

export async function benchCards(opts: { quick: boolean }): Promise<BenchResult> {
  const runs = opts.quick ? 5 : 30;
  const warmup = opts.quick ? 1 : 3;
  const apduRounds = opts.quick ? 20 : 100;
  const profile = loadCardProfiles(resolve(import.meta.dirname, '..', 'resources', 'cards')).find(
    (p) => p.id === PROFILE,
  );
  if (!profile) throw new Error(`card profile ${PROFILE} not found in resources/cards`);

  const pcscd = await (await loadPcscdLauncher()).startPcscd();
  const transport = new PcscliteTransport();
  const waiters: ((event: TransportEvent) => void)[] = [];
  transport.onEvent((event) => {
    for (const waiter of waiters.splice(0)) waiter(event);
  });
  const nextEvent = (type: TransportEvent['type'], timeoutMs = 5_000): Promise<number> =>
    new Promise((resolveEvent, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`bench: no ${type} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const listen = (event: TransportEvent): void => {
        if (event.type === type && 'reader' in event && event.reader === READER) {
          clearTimeout(timer);
          resolveEvent(performance.now());
        } else waiters.push(listen);
      };
      waiters.push(listen);
    });

  const pollingMs: number[] = [];
  const decodeMs: number[] = [];
  const totalMs: number[] = [];
  const apduMs: number[] = [];
  let beneficiaries = 0;
  try {
    await transport.start();
    for (let run = 0; run < warmup + runs; run++) {
      const inserted = nextEvent('card-inserted');
      const connectStart = performance.now();
      const connection = await connectVirtualCardToVpcd({ port: PORT, card: createVirtualCard(profile) });
      const connectedAt = performance.now();
      const insertedAt = await inserted;
      const session = await transport.connect(READER);
      const info = await readCardInfo(session);
      const decodedAt = performance.now();
      if (info.kind !== 'vitale' || info.beneficiaries.length === 0)
        throw new Error(`bench: expected a Vitale, got ${info.kind}`);
      beneficiaries = info.beneficiaries.length;
      if (run === warmup) {
        for (let i = 0; i < apduRounds; i++) {
          const start = performance.now();
          await session.transmit(SELECT_MF);
          apduMs.push(performance.now() - start);
        }
      }
      await session.close('reset');
      const removed = nextEvent('card-removed');
      await connection.close();
      await removed;
      if (run < warmup) continue;
      pollingMs.push(insertedAt - connectedAt);
      decodeMs.push(decodedAt - insertedAt);
      totalMs.push(decodedAt - connectStart);
    }
  } finally {
    await transport.stop();
    await pcscd.stop();
  }

  // The same read against the in-process emulator: what our own code costs, without the vpcd hop.
  const inProcess = new SimulatedTransport();
  const simulatedReader = inProcess.readers()[1]?.name ?? inProcess.readers()[0]!.name;
  await inProcess.start();
  inProcess.insert(simulatedReader, createVirtualCard(profile));
  const inProcessMs: number[] = [];
  let apdusPerRead = 0;
  for (let run = 0; run < warmup + runs * 4; run++) {
    const session = countingSession(await inProcess.connect(simulatedReader));
    const start = performance.now();
    await readCardInfo(session);
    if (run >= warmup) inProcessMs.push(performance.now() - start);
    apdusPerRead = session.count();
    await session.close('reset');
  }
  await inProcess.stop();

  return {
    name: 'cards (pcscd + vpcd, Vitale)',
    notes: [
      `profile ${PROFILE} (${beneficiaries} bénéficiaires), reader ${READER}, ${runs} runs after ${warmup} warm-up`,
      'pcscd polls card presence every 400 ms: the first row is mostly that wait, not our code',
      // Measured: vpcd sends the 2-byte length and the payload in two writes, so Nagle holds the
      // payload until our delayed ACK (~40 ms). A physical reader has no such TCP hop.
      'each APDU pays ~40 ms of TCP Nagle/delayed-ACK on the vpcd socket (vpcd writes length and payload separately): a vpcd artefact, absent with a physical reader',
      `a Vitale read takes ${apdusPerRead} APDUs; the target (p95 ≤ 50 ms) is missed over vpcd because of that per-APDU delay, see the in-process row for our code's own cost`,
    ],
    rows: [
      summarise('vpcd connect → card-inserted (pcscd polling)', 'ms', pollingMs),
      summarise('card-inserted → beneficiaries decoded (pcscd + vpcd)', 'ms', decodeMs, {
        text: 'p95 ≤ 50 ms',
        p95Max: 50,
      }),
      summarise('insertion → beneficiaries decoded, polling included', 'ms', totalMs),
      summarise('APDU round trip (SELECT MF, vpcd)', 'ms', apduMs),
      summarise('beneficiaries decoded, in-process emulator (no pcscd/vpcd)', 'ms', inProcessMs, {
        text: 'p95 ≤ 50 ms',
        p95Max: 50,
      }),
    ],
  };
}

/** Counts the APDUs a read sends, to explain where the time goes. */
function countingSession(session: CardSession): CardSession & { count(): number } {
  let sent = 0;
  return {
    reader: session.reader,
    protocol: session.protocol,
    atr: session.atr,
    transmit: (apdu) => {
      sent += 1;
      return session.transmit(apdu);
    },
    close: (disposition) => session.close(disposition),
    count: () => sent,
  };
}
