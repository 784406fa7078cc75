import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccessMode, Professional } from '../../../src/shared/contract';
import { DmpService, type DmpActor } from '../../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { createLogger } from '../../../src/main/log/logger';
import { openTestStore } from '../../support/test-store';
import { sharedCdaFixturesDir } from '../../support/shared-fixtures';

export const fixturesDir = sharedCdaFixturesDir();
export const testInsKey = '279035121518989@1.2.250.1.213.1.4.10';

export function fixtureNames(): string[] {
  return readdirSync(fixturesDir)
    .filter((f) => f.endsWith('.xml'))
    .sort();
}

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(fixturesDir, name)));
}

export function professional(
  overrides: {
    nationalId?: string;
    cardKind?: 'cps' | 'cpe' | 'cpf';
    professionCode?: string;
    lastName?: string;
  } = {},
): Professional {
  const professionCode = overrides.professionCode ?? '10';
  return {
    reader: 'Lecteur CPS',
    cardKind: overrides.cardKind ?? 'cps',
    serial: `SER-${overrides.nationalId ?? '810001234567'}`,
    holder: {
      nationalId: overrides.nationalId ?? '810001234567',
      nationalIdType: 'RPPS',
      lastName: overrides.lastName ?? 'MEDECIN',
      firstName: 'Jean',
      professionCode,
      professionLabel:
        professionCode === '10' ? 'Médecin' : professionCode === '60' ? 'Infirmier' : 'Secrétaire médicale',
      situations: [{ label: 'Cabinet du Dr Médecin' }],
    },
  };
}

export function actor(p: Professional, mode: AccessMode = 'normal', reason?: string): DmpActor {
  return { professional: p, mode, ...(reason ? { reason } : {}) };
}

/** A deterministic byte source, so ids and codes are reproducible. */
export function counterRandom(): (n: number) => Uint8Array {
  let counter = 1;
  return (n) =>
    Uint8Array.from({ length: n }, () => (counter = (counter * 1103515245 + 12345) % 2 ** 31) & 0xff);
}

/** A DMP service on an in-memory store at a fixed date, with its log lines kept for assertions. */
export async function loggedService(now = new Date('2026-03-01T09:00:00Z')) {
  const lines: string[] = [];
  const store = await openTestStore(dmpMigrations);
  const log = createLogger({ sink: (l) => lines.push(l), level: 'debug' });
  const dmp = new DmpService({ store, log, now: () => now, random: counterRandom() });
  return { store, dmp, lines };
}
