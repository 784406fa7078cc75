import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DmpService } from '../../../src/main/dmp/dmp-service';
import { dmpMigrations } from '../../../src/main/dmp/migrations';
import { IdentityReference } from '../../../src/main/identity/identity-reference';
import { hostMethods } from '../../../src/main/host-api/methods';
import { createHostRouter, type HostConnection } from '../../../src/main/host/routing';
import { ProfessionalSessions } from '../../../src/main/host/professional-sessions';
import { createLogger } from '../../../src/main/log/logger';
import { claimingStore } from '../../../src/main/store/host-requests';
import type { Store } from '../../../src/main/store/types';
import { openTestStore } from '../../support/test-store';
import { fixture } from '../dmp/helpers';

const log = createLogger({ sink: () => undefined });

const importer: HostConnection = {
  id: 'c1',
  workstation: 'poste-import',
  fingerprint: 'F',
  certificate: { name: 'poste-import', subject: 'CN=poste-import', serial: '01', fingerprint: 'F' },
  systemCalls: true,
  exportKeyingMaterial: () => Buffer.alloc(32),
};

/** One DMP host process, as `npm run host` builds it on a database other hosts may share. */
function hostOn(store: Store) {
  return createHostRouter({
    dmp: new DmpService({ store: claimingStore(store), log }),
    identities: new IdentityReference(store),
    sessions: new ProfessionalSessions({ verify: null, idleMs: 60_000, log }),
    log,
    version: 't',
    requests: store,
  });
}

async function count(store: Store, table: 'documents' | 'audit_log'): Promise<number> {
  const [row] = await store.all<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(row?.n);
}

describe('a write request retried on another host sharing the database', () => {
  it('is applied once: the retry is answered « déjà enregistrée » and writes nothing, not even a refusal', async () => {
    const store = await openTestStore(dmpMigrations);
    const hostA = hostOn(store);
    const hostB = hostOn(store);
    const body = {
      args: hostMethods['dmp.importCda'].args.encode([
        fixture('VSM_1.4_2022.01.xml'),
        { create: true, depositor: 'system' },
      ]),
      requestId: randomUUID(),
    };
    const first = await hostA('dmp.importCda', body, importer);
    expect(first.ok).toBe(true);
    const documents = await count(store, 'documents');
    const audit = await count(store, 'audit_log');

    // The answer to the first delivery was lost: the workstation retries, and another host gets it.
    const retry = await hostB('dmp.importCda', body, importer);
    expect(retry.ok).toBe(false);
    if (!retry.ok) expect(retry.error.message).toMatch(/déjà été enregistrée/);
    expect(await count(store, 'documents')).toBe(documents);
    // Without the claim, host B would have run the import again and audited a refused duplicate.
    expect(await count(store, 'audit_log')).toBe(audit);
    await store.close();
  });
});
