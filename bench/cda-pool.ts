import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { CdaParserPool, defaultCdaParserWorkers } from '../src/main/dmp/cda-parser-pool';
import { inlineCdaParser, type CdaParser } from '../src/main/dmp/parse-cda';
import { silentLogger } from '../src/main/log/logger';
import { summarise, type BenchRow } from './types';

/**
 * The IPS-FR parsed as the DMP host parses a deposit: inline (on the event loop) and through the
 * worker pool. Per document: the event loop's busy time (what every other request of the process
 * waits behind: `eventLoopUtilization`, this thread only), the process's CPU time (all threads) and,
 * noisy on a shared machine, the wall-clock throughput of a batch submitted at once.
 */
export async function benchCdaPool(
  name: string,
  ips: Uint8Array,
  quick: boolean,
): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const batch = 20;
  const rounds = quick ? 3 : 10;
  const workers = defaultCdaParserWorkers();
  const pool = new CdaParserPool({ workers, log: silentLogger });
  const loadBefore = loadavg()[0]!;
  try {
    const measure = async (parser: CdaParser) => {
      const loop: number[] = [];
      const cpu: number[] = [];
      const throughput: number[] = [];
      // Warm-up: the JIT, and the pool's workers started.
      await Promise.all(Array.from({ length: workers }, () => parser.parse(ips.slice())));
      for (let r = 0; r < rounds; r++) {
        const copies = Array.from({ length: batch }, () => ips.slice());
        const elu = performance.eventLoopUtilization();
        const cpuBefore = process.cpuUsage();
        const started = performance.now();
        await Promise.all(copies.map((bytes) => parser.parse(bytes)));
        const seconds = (performance.now() - started) / 1000;
        const used = process.cpuUsage(cpuBefore);
        loop.push(performance.eventLoopUtilization(elu).active / batch);
        cpu.push((used.user + used.system) / 1000 / batch);
        throughput.push(batch / seconds);
      }
      return { loop, cpu, throughput };
    };
    const inline = await measure(inlineCdaParser);
    const pooled = await measure(pool);
    const label = `${name}, lots de ${batch}`;
    return {
      rows: [
        summarise(
          `${label} — temps de boucle d’événements par document, analyse en ligne`,
          'ms',
          inline.loop,
        ),
        summarise(
          `${label} — temps de boucle d’événements par document, pool de ${workers} worker(s)`,
          'ms',
          pooled.loop,
        ),
        summarise(`${label} — temps CPU du processus par document, en ligne`, 'ms', inline.cpu),
        summarise(`${label} — temps CPU du processus par document, pool`, 'ms', pooled.cpu),
        summarise(`${label} — débit, en ligne`, 'documents/s', inline.throughput),
        summarise(`${label} — débit, pool de ${workers} worker(s)`, 'documents/s', pooled.throughput),
      ],
      notes: [
        `Pool d’analyse CDA : ${workers} worker(s) (cœurs − 1, de 1 à 4), ${rounds} lots de ${batch} documents soumis d’un coup. Le temps de boucle d’événements est ce que les autres requêtes attendent ; le débit dépend de la charge (charge moyenne 1 min : ${loadBefore.toFixed(1)} avant, ${loadavg()[0]!.toFixed(1)} après).`,
      ],
    };
  } finally {
    await pool.close();
  }
}
