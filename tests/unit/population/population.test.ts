import { describe, expect, it } from 'vitest';
import { households } from '../../../src/main/population/households';
import { clinicalRecord } from '../../../src/main/population/clinical';
import { writePopulation } from '../../../src/main/population/write-population';
import { matriculeKeyValid } from '../../../src/shared/identity/ins';
import { openMemoryStore } from '../../../src/main/store/memory-store';
import { dmpMigrations } from '../../../src/main/dmp/migrations';

const reference = new Date('2026-11-01T12:00:00Z');
const people = (seed: string, n: number) => [...households(seed, n, reference)].flatMap((h) => h.members);

describe('synthetic population', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(people('s1', 200)).toEqual(people('s1', 200));
    expect(people('s1', 50)).not.toEqual(people('s2', 50));
    expect(clinicalRecord('s1', people('s1', 1)[0]!, reference)).toEqual(
      clinicalRecord('s1', people('s1', 1)[0]!, reference),
    );
  });

  it('gives everyone a NIR with a valid key, consistent with sex and birth date', () => {
    const all = people('nir', 2000);
    expect(all).toHaveLength(2000);
    for (const p of all) {
      expect(matriculeKeyValid(p.matricule), p.matricule).toBe(true);
      expect(p.matricule[0]).toBe(p.sex === 'M' ? '1' : '2');
      expect(p.matricule.slice(1, 3)).toBe(p.birthDate.slice(2, 4));
      expect(p.matricule.slice(3, 5)).toBe(p.birthDate.slice(5, 7));
    }
    expect(all.some((p) => /^.{5}2[AB]/.test(p.matricule))).toBe(true);
  });

  it('never gives one NIR to two people (a million-dossier population would otherwise hold duplicates)', () => {
    // Seed chosen because its random draws repeat a NIR before 24 000 people (found by search).
    const all = people('dup-118', 24_000);
    expect(new Set(all.map((p) => p.matricule)).size).toBe(all.length);
  });

  it('puts families on one card: children under 16 with their own INS, twins now and then', () => {
    const list = [...households('family', 3000, reference)];
    const families = list.filter((h) =>
      h.members.some((m) => Number(m.birthDate.slice(0, 4)) > reference.getUTCFullYear() - 16),
    );
    expect(families.length).toBeGreaterThan(100);
    for (const h of families) {
      const children = h.members.filter(
        (m) => Number(m.birthDate.slice(0, 4)) > reference.getUTCFullYear() - 16,
      );
      for (const child of children) {
        expect(child.matricule).not.toBe(h.ouvrantDroit.matricule);
        expect(child.birthName).toBe(h.ouvrantDroit.birthName);
      }
    }
    const twins = families.filter((h) => {
      const dates = h.members.slice(2).map((m) => m.birthDate);
      return new Set(dates).size < dates.length;
    });
    expect(twins.length).toBeGreaterThan(0);
  });

  it('gives chronic patients dozens to hundreds of reimbursement lines and caps documents at 40', () => {
    const records = people('chronic', 1500).map((p) => clinicalRecord('chronic', p, reference));
    const reimbursementLines = records.map(
      (docs) => docs.find((d) => d.typeCode === 'REMB')?.entries.length ?? 0,
    );
    expect(Math.max(...reimbursementLines)).toBeGreaterThanOrEqual(100);
    expect(reimbursementLines.filter((n) => n >= 24).length).toBeGreaterThan(50);
    for (const docs of records) expect(docs.length).toBeLessThanOrEqual(40);
    expect(records.some((docs) => docs.length === 0)).toBe(true);
  });

  it('writes a store in the DMP schema and refuses to write twice', async () => {
    const store = await openMemoryStore(dmpMigrations);
    const stats = await writePopulation(store, { patients: 120, seed: 'write', reference, batchSize: 500 });
    expect(stats.dossiers).toBe(120);
    const [dossiers] = await store.all<{ n: number }>('SELECT COUNT(*) AS n FROM dossiers');
    const [documents] = await store.all<{ n: number }>('SELECT COUNT(*) AS n FROM documents');
    const [entries] = await store.all<{ n: number }>('SELECT COUNT(*) AS n FROM clinical_entries');
    expect(dossiers?.n).toBe(120);
    expect(documents?.n).toBe(stats.documents);
    expect(entries?.n).toBe(stats.entries);
    await expect(writePopulation(store, { patients: 10, seed: 'write', reference })).rejects.toThrow(
      /déjà des dossiers/,
    );
  });
});
