import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCda } from '../src/main/cda/import';
import { summarise, type BenchResult, type BenchRow } from './types';
import { prepareDataDir } from './support/population';
import { projectRoot } from '../src/main/app/paths';
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
  const cli = await cliImportIntoLargeFolder(opts.quick);
  rows.push(cli.row);
  return {
    name: 'Import CDA (analyse XML + extraction)',
    rows,
    notes: [
      `${files.length} documents CI-SIS officiels (10 fixtures + corpus), ${rounds} passes après une passe de chauffe, parse synchrone sur le thread courant.`,
      cli.note,
    ],
  };
}

const CLI_IMPORT_TARGET_MS = 300;
const CLI_FOLDER_PATIENTS = 10_000;

/**
 * Wall time of `npm run cli -- import <one file> --create` as a hospital system runs it, file after
 * file, into a data folder holding 10 000 synthetic dossiers: process start, lock and key, store
 * open, import, close. Measured on the bundle `npm run cli` runs (built first), without npm itself.
 */
async function cliImportIntoLargeFolder(quick: boolean): Promise<{ row: BenchRow; note: string }> {
  const { buildCliBundle, cliBundle } = (await import(join(projectRoot(), 'scripts', 'cli.mjs'))) as {
    buildCliBundle: () => Promise<void>;
    cliBundle: string;
  };
  await buildCliBundle();
  const folder = await prepareDataDir({
    patients: CLI_FOLDER_PATIENTS,
    seed: 'bench-cli-import',
    reference: new Date('2026-01-01T12:00:00Z'),
  });
  try {
    // The corpus documents: one distinct document per run.
    const corpus = sharedCorpusDir();
    const candidates = readdirSync(corpus)
      .filter((f) => f.endsWith('.xml'))
      .sort()
      .map((f) => join(corpus, f));
    const runs = (quick ? 5 : 15) + 1;
    const samples: number[] = [];
    let failures = 0;
    // One warm-up run: the first start reads the bundle and sql.js from a cold page cache.
    for (const file of candidates) {
      if (samples.length >= runs) break;
      const started = performance.now();
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [cliBundle, 'import', file, '--create', '--data', folder.dataDir],
          { stdio: 'ignore' },
        );
        child.on('error', reject);
        child.on('exit', (c) => resolve(c));
      });
      const ms = performance.now() - started;
      // A corpus file the import refuses (no INS, duplicate…) does not measure an import.
      if (code !== 0) {
        failures++;
        continue;
      }
      samples.push(ms);
    }
    samples.shift();
    return {
      row: summarise(
        `CLI : import d’un fichier dans un dossier de données de ${CLI_FOLDER_PATIENTS} dossiers`,
        'ms',
        samples,
        {
          text: `médiane ≤ ${CLI_IMPORT_TARGET_MS} ms`,
          medianMax: CLI_IMPORT_TARGET_MS,
        },
      ),
      note: `CLI : ${samples.length} imports mesurés (processus complet : démarrage, verrou, clé, ouverture, import, fermeture ; première exécution écartée), ${failures} fichier(s) du corpus refusé(s) et non comptés.`,
    };
  } finally {
    folder.dispose();
  }
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
