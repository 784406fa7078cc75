import { describe, expect, it } from 'vitest';
import { DmpService } from '../../../src/main/dmp/dmp-service';
import { maintenanceMethods } from '../../../src/main/dmp/dmp-port';
import { IdentityReference } from '../../../src/main/identity/identity-reference';
import { hostMethodNames, hostMethods } from '../../../src/main/host-api/methods';
import { createHostRouter, type HostConnection } from '../../../src/main/host/routing';
import { ProfessionalSessions } from '../../../src/main/host/professional-sessions';
import { createLogger } from '../../../src/main/log/logger';
import { createHostTestPki } from '../../support/host-test-pki';

/** The public methods of a class, as its prototype has them (what a caller of the port can call). */
function methodsOf(type: { prototype: object }): string[] {
  return Object.getOwnPropertyNames(type.prototype)
    .filter((name) => name !== 'constructor')
    .sort();
}

const inNamespace = (ns: string): string[] =>
  hostMethodNames
    .filter((n) => n.startsWith(`${ns}.`))
    .map((n) => n.slice(ns.length + 1))
    .sort();

function connection(systemCalls: boolean): HostConnection {
  return {
    id: 'c1',
    workstation: 'poste',
    fingerprint: 'F',
    certificate: { name: 'poste', subject: 'CN=poste', serial: '01', fingerprint: 'F' },
    systemCalls,
    exportKeyingMaterial: () => Buffer.alloc(32),
  };
}

describe('one host method table for the ports, the server routing and the client', () => {
  it('dmp.* is exactly DmpService’s methods but its store maintenance, and identities.* exactly IdentityReference’s', () => {
    const maintenance: readonly string[] = maintenanceMethods;
    // Maintenance (re-extraction) is run by an administrator where the store is, never over the wire.
    expect(maintenance.every((m) => methodsOf(DmpService).includes(m))).toBe(true);
    expect(inNamespace('dmp')).toEqual(methodsOf(DmpService).filter((m) => !maintenance.includes(m)));
    expect(inNamespace('identities')).toEqual(methodsOf(IdentityReference));
    expect(hostMethodNames.filter((n) => !/^(dmp|identities|host|session|settings)\./.test(n))).toEqual([]);
  });

  it('the client exposes exactly the table’s dmp.* and identities.* methods', async () => {
    const { connectToHost } = await import('../../../src/main/host-client');
    const pki = await createHostTestPki();
    const log = createLogger({ sink: () => undefined });
    await expect(
      connectToHost({ url: 'https://127.0.0.1:1', caPem: 'x', certPem: 'y', keyPem: 'z', log }),
    ).rejects.toThrow(/Connexion au serveur DMP impossible : le certificat du poste/);
    await expect(
      connectToHost({ ...pki.workstation, caPem: pki.caPem, url: 'http://127.0.0.1:1', log }),
    ).rejects.toThrow(/https:\/\/hôte:port attendu/);
    // Nobody listens on port 1: the client exists, unreachable, with every method of the ports.
    const client = await connectToHost({
      ...pki.workstation,
      caPem: pki.caPem,
      url: 'https://127.0.0.1:1',
      log,
    });
    try {
      expect(Object.keys(client.dmp).sort()).toEqual(inNamespace('dmp'));
      expect(Object.keys(client.identities).sort()).toEqual(inNamespace('identities'));
    } finally {
      await client.close();
    }
  }, 120_000);

  it('the server routes every table method to the port method of the same name, and nothing else', async () => {
    const called: string[] = [];
    const recorder = (ns: string) =>
      new Proxy(
        {},
        {
          get: (_t, name: string) => async () => {
            called.push(`${ns}.${name}`);
            throw new Error('not under test');
          },
        },
      );
    const log = createLogger({ sink: () => undefined });
    const route = createHostRouter({
      dmp: recorder('dmp') as never,
      identities: recorder('identities') as never,
      sessions: new ProfessionalSessions({ verify: null, idleMs: 1000, log }),
      log,
      version: 't',
    });
    for (const name of hostMethodNames) {
      const answer = await route(name, { args: [] }, connection(true));
      if (!answer.ok) expect(answer.error.code, name).not.toBe('UNKNOWN_METHOD');
    }
    // Every method whose arguments may be empty reached the port of its own name.
    expect(called.every((c) => (hostMethodNames as string[]).includes(c))).toBe(true);
    expect(called).toContain('dmp.verifyAudit');
    for (const name of ['dmp.nope', 'toString', '__proto__', 'constructor', 'dmp.constructor']) {
      const answer = await route(name, { args: [] }, connection(true));
      expect(answer).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
  });

  it('values round-trip through the wire form: bytes as base64, dates as ISO strings', () => {
    const bytes = new Uint8Array([0, 1, 254, 255]);
    const wire = hostMethods['dmp.importCda'].args.encode([bytes, { create: true, depositor: 'system' }]);
    expect(wire[0]).toBe('AAH+/w==');
    expect(JSON.parse(JSON.stringify(wire))).toEqual(wire);
    expect(hostMethods['dmp.importCda'].args.decode(wire)[0]).toEqual(bytes);
    const asOf = new Date('2026-01-02T03:04:05.000Z');
    const summaryArgs = hostMethods['dmp.getSummary'].args.encode([
      { system: 'cli' },
      '279035121518989@1.2.250.1.213.1.4.10',
      { asOf },
    ]);
    expect(summaryArgs[2]).toEqual({ asOf: '2026-01-02T03:04:05.000Z' });
    expect(hostMethods['dmp.getSummary'].args.decode(summaryArgs)[2]?.asOf).toEqual(asOf);
  });

  it('every method that changes the DMP or its audit chain is marked as a write (request id required)', () => {
    const writes = hostMethodNames.filter((n) => hostMethods[n].write).sort();
    expect(writes).toEqual(
      [
        'dmp.importCda',
        'dmp.refuseImportFile',
        'dmp.depositDocument',
        'dmp.authorize',
        'dmp.declareTreatingPhysician',
        'dmp.recordProfessionalBlock',
        'dmp.traceIdentityLookup',
        'dmp.createDossier',
        'dmp.closeDossier',
        'dmp.reactivateDossier',
        'dmp.updateDocument',
        'dmp.deleteDocument',
        'identities.register',
        // Changes the audit chain only; a resend must not add a second entry.
        'settings.recordHostChange',
      ].sort(),
    );
  });
});
