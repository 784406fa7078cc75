import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCda } from '../src/main/cda/import';
import { summarise, type BenchResult, type BenchRow } from './types';
import { sharedCdaFixturesDir, sharedCorpusDir } from '../tests/support/shared-fixtures';

const FIXTURE_DIRS = [sharedCdaFixturesDir(), sharedCorpusDir()];
const IPS_FIXTURE = 'IPS-FR_2024.01.xml';
const IPS_TARGET_MS = 500;

/**
 * Parse throughput over every CI-SIS document we hold (the 10 fixtures and the 83 of the corpus), and
 * the latency of the largest one (IPS-FR, 1.5 MB).
 */
export async function benchImport(opts: { quick: boolean }): Promise<BenchResult> {
  const files = FIXTURE_DIRS.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.xml'))
      .sort()
      .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(dir, f))) })),
  );
  const totalBytes = files.reduce((n, f) => n + f.bytes.byteLength, 0);
  const rounds = opts.quick ? 5 : 30;

  // Warm-up so the JIT does not count against the first round.
  for (const f of files) parseCda(f.bytes);

  const docsPerSecond: number[] = [];
  const megabytesPerSecond: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    for (const f of files) parseCda(f.bytes);
    const seconds = (performance.now() - start) / 1000;
    docsPerSecond.push(files.length / seconds);
    megabytesPerSecond.push(totalBytes / 1024 / 1024 / seconds);
  }

  const ips = files.find((f) => f.name === IPS_FIXTURE);
  const ipsMs: number[] = [];
  if (ips) {
    for (let i = 0; i < rounds; i++) {
      const start = performance.now();
      parseCda(ips.bytes);
      ipsMs.push(performance.now() - start);
    }
  }

  const rows: BenchRow[] = [
    summarise(`parse all ${files.length} CI-SIS documents (fixtures + corpus)`, 'documents/s', docsPerSecond),
    summarise(
      `parse all documents (${(totalBytes / 1024 / 1024).toFixed(1)} MB)`,
      'MB/s',
      megabytesPerSecond,
    ),
  ];
  if (ips) {
    rows.push(
      summarise(`parse ${IPS_FIXTURE} (${(ips.bytes.byteLength / 1024 / 1024).toFixed(1)} MB)`, 'ms', ipsMs, {
        text: `p95 ≤ ${IPS_TARGET_MS} ms`,
        p95Max: IPS_TARGET_MS,
      }),
    );
  }
  // Worst realistic case: a scanned PDF near the DMP size cap, carried as base64 in a nonXMLBody.
  if (!opts.quick) {
    const big = largeUnstructuredCda(20 * 1024 * 1024);
    const bigMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      parseCda(big);
      bigMs.push(performance.now() - start);
    }
    rows.push(
      summarise(
        `parse unstructured CDA with a 20 MB PDF (${(big.byteLength / 1024 / 1024).toFixed(0)} MB of XML)`,
        'ms',
        bigMs,
      ),
    );
  }
  return {
    name: 'Import CDA (analyse XML + extraction)',
    rows,
    notes: [
      `${files.length} documents CI-SIS officiels (10 fixtures + corpus), ${rounds} passes après une passe de chauffe, parse synchrone sur le thread courant.`,
    ],
  };
}

function largeUnstructuredCda(pdfBytes: number): Uint8Array {
  // A complete PDF (header and %%EOF trailer): a truncated one is refused at import.
  const pdf = Buffer.concat([
    Buffer.from('%PDF-1.4\n'),
    Buffer.alloc(pdfBytes, 0x41),
    Buffer.from('\n%%EOF\n'),
  ]);
  const base64 = pdf.toString('base64').replace(/(.{76})/g, '$1\n');
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?><ClinicalDocument xmlns="urn:hl7-org:v3"><id root="1.2.3"/><code code="11488-4" codeSystem="2.16.840.1.113883.6.1"/>' +
    '<recordTarget><patientRole><id root="1.2.250.1.213.1.4.10" extension="279035121518989"/></patientRole></recordTarget>' +
    `<component><nonXMLBody><text mediaType="application/pdf" representation="B64">${base64}</text></nonXMLBody></component></ClinicalDocument>`;
  return new Uint8Array(Buffer.from(xml));
}

// Allows `npx tsx bench/import.ts [--quick]` on its own.
if (import.meta.url === `file://${process.argv[1]}`) {
  benchImport({ quick: process.argv.includes('--quick') }).then(
    (result) => console.table(result.rows),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
