import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCda } from '../../../src/main/cda/import';
import { DmpService } from '../../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { silentLogger } from '../../../src/main/log/logger';
import { openMemoryStore } from '../../../src/main/store/memory-store';
import {
  ApiError,
  emergencySummarySchema,
  type ClinicalEntry,
  type EmergencySummary,
} from '../../../src/shared/contract';
import { sharedCdaFixturesDir, sharedCorpusDir } from '../../support/shared-fixtures';
import { deviceCodes, labCodes, negatedCodes } from './support/independent-reading';

/**
 * Every official CI-SIS document we hold (the 10 fixtures and the 83 of the corpus, names with spaces
 * and accents) goes through the real import path into a fresh store, then its emergency summary is
 * checked against an independent reading of the raw XML (./support/independent-reading.ts).
 */
const files = [sharedCdaFixturesDir(), sharedCorpusDir()].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((name) => ({ dir, name })),
);

/** Refusals that are real: the document's INS is wrong (key) or inconsistent with its own traits. */
const LEGITIMATE_REFUSAL =
  /^Document refusé, identité du patient incohérente : INS du document : (la clé du matricule INS est incorrecte|l'année de naissance|le mois de naissance|le sexe)/;

/** Raw codes that must never reach a clinician's screen. */
const RAW_CODE =
  /\bG-A\d{3}\b|^(completed|active|inactive|resolved|aborted|suspended|cancelled|not-done|new|held)$|\[IU\]|toutes les 1 J|^[LMH]$/;

function displayed(summary: EmergencySummary): { section: string; entry: ClinicalEntry }[] {
  const sections = [
    'allergies',
    'medications',
    'otherMedications',
    'problems',
    'immunizations',
    'devices',
    'procedures',
    'riskFactors',
    'contacts',
    'trustedPersons',
    'treatingPhysicians',
    'advanceDirectives',
  ] as const;
  return sections.flatMap((section) => summary[section].map((entry) => ({ section, entry })));
}

function texts(e: ClinicalEntry): string[] {
  return [e.label, e.status ?? '', e.severity ?? '', ...(e.facts ?? []).map((f) => f.value)].filter(
    (t) => t !== '',
  );
}

async function importAndSummarise(
  bytes: Uint8Array,
): Promise<{ summary?: EmergencySummary; refusal?: ApiError }> {
  const store = await openMemoryStore(dmpMigrations);
  try {
    const dmp = new DmpService({
      store,
      log: silentLogger,
      now: () => new Date('2025-06-01T00:00:00Z'),
      random: () => crypto.getRandomValues(new Uint8Array(16)),
    });
    let insKey: string;
    try {
      insKey = (await dmp.importCda(bytes, { create: true, depositor: 'system' })).insKey;
    } catch (err) {
      if (err instanceof ApiError) return { refusal: err };
      throw err;
    }
    return { summary: emergencySummarySchema.parse(await dmp.getSummary({ system: 'cli' }, insKey)) };
  } finally {
    await store.close();
  }
}

describe('CI-SIS corpus: every document imports or is refused for a real reason, and its summary tells the truth', () => {
  it('walks all 93 documents', () => {
    expect(files.length).toBeGreaterThanOrEqual(93);
  });

  for (const { dir, name } of files) {
    it(name, async () => {
      const bytes = new Uint8Array(readFileSync(join(dir, name)));
      const raw = Buffer.from(bytes).toString('utf8');
      const doc = parseCda(bytes);

      // Extraction: every device and every templated lab result of the independent reading is carried over.
      const extractedDevices = doc.entries.filter((e) => e.kind === 'device').map((e) => e.code?.code);
      expect(extractedDevices.sort(), 'devices').toEqual(deviceCodes(raw).sort());
      const extractedLabs = doc.entries
        .filter((e) => e.kind === 'labResult' && e.templateIds.includes('1.3.6.1.4.1.19376.1.3.1.6'))
        .map((e) => e.code?.code);
      expect(extractedLabs.sort(), 'lab results').toEqual(labCodes(raw).sort());

      const { summary, refusal } = await importAndSummarise(bytes);
      if (refusal) {
        expect(refusal.code).toBe('INVALID_INPUT');
        expect(refusal.message, 'a refusal must be French and name its real reason').toMatch(
          LEGITIMATE_REFUSAL,
        );
        return;
      }
      if (!summary) throw new Error('no summary');
      const shown = displayed(summary);

      // No negated observation shown as present.
      const absent = negatedCodes(raw);
      for (const { section, entry } of shown) {
        if (section === 'riskFactors' && entry.negated) continue;
        if (entry.code && absent.has(entry.code.code))
          expect.fail(`${section}: « ${entry.label} » is stated absent by the document`);
      }
      // No « Aucun » item, no raw code in displayed text.
      for (const { section, entry } of shown) {
        expect(entry.label, `${section} item`).not.toMatch(/^\s*(aucun|aucune|néant)\b/i);
        expect(entry.label, `${section} item`).not.toMatch(/sans libellé$/);
        for (const t of texts(entry)) expect(t, `${section}: ${entry.label}`).not.toMatch(RAW_CODE);
      }
      for (const line of summary.reimbursementLines) expect(line.label).not.toMatch(/^\s*aucun\b/i);
      // Every device and every lab analyte reaches the summary.
      const summaryDevices = new Set(summary.devices.map((d) => d.code?.code));
      for (const code of deviceCodes(raw)) expect(summaryDevices.has(code), `device ${code}`).toBe(true);
      const summaryLabs = new Set(summary.labResults.map((r) => r.code?.code));
      for (const code of labCodes(raw)) expect(summaryLabs.has(code), `lab result ${code}`).toBe(true);
    });
  }
});
