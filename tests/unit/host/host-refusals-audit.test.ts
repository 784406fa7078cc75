import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Professional } from '../../../src/shared/contract';
import type { DmpActor } from '../../../src/main/dmp/actors';
import type { VerifiedProfessional } from '../../../src/main/host/professional-sessions';
import { verifyAuditChain } from '../../../src/main/audit/verify';
import { createHostTestPki, type HostTestPki } from '../../support/host-test-pki';
import { startTestHost } from '../../support/host-harness';
import { testInsKey } from '../dmp/helpers';

/**
 * What an auditor finds after a workstation was refused: an entry of the DMP's own audit chain
 * (`host.refused`), with the workstation certificate's subject, serial and fingerprint, the claimed
 * and proven professional ids, on the dossier the request named — and no name in the host's log.
 */
const doctorCard: VerifiedProfessional = {
  nationalId: '810001234567',
  professionCode: '10',
  lastName: 'MEDECIN',
  firstName: 'Jean',
  cardKind: 'cps',
};
const secretaryCard: VerifiedProfessional = {
  nationalId: '0123456789',
  professionCode: '',
  lastName: 'SECRETAIRE',
  firstName: 'Anne',
  cardKind: 'cpe',
};

function actor(card: VerifiedProfessional): DmpActor {
  const professional: Professional = {
    reader: 'Lecteur CPS',
    cardKind: card.cardKind,
    serial: `SER-${card.nationalId}`,
    holder: {
      nationalId: card.nationalId,
      nationalIdType: card.nationalId.startsWith('8') ? 'RPPS' : 'ADELI',
      lastName: card.lastName,
      firstName: card.firstName,
      professionCode: card.professionCode,
      professionLabel: 'Médecin',
      situations: [{ label: 'Cabinet' }],
    },
  };
  return { professional, mode: 'normal' };
}

let pki: HostTestPki;
let host: Awaited<ReturnType<typeof startTestHost>>;
let desk: { serial: string; fingerprint: string };

beforeAll(async () => {
  pki = createHostTestPki();
  host = await startTestHost(pki);
  const cert = new X509Certificate(pki.workstation.certPem);
  desk = { serial: cert.serialNumber.toUpperCase(), fingerprint: cert.fingerprint256 };
});
afterAll(async () => host?.close());

async function refusals() {
  return (await host.auditEntries()).filter((e) => e.action === 'host.refused');
}

describe('the host records its refusals in the audit chain', () => {
  it('a workstation claiming another professional: entry on the dossier, claimed and proven ids, certificate identity', async () => {
    const station = await host.client();
    await station.authenticateProfessional(pki.card(secretaryCard));
    const before = (await refusals()).length;
    const linesBefore = host.lines.length;
    await expect(station.dmp.openDossier(actor(doctorCard), testInsKey)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const added = (await refusals()).slice(before);
    expect(added).toHaveLength(1);
    const entry = added[0]!;
    expect(entry).toMatchObject({
      actorId: `workstation:${desk.serial}`,
      actorName: 'Poste poste-accueil',
      cardSerial: null,
      insKey: testInsKey,
    });
    expect(entry.target).toContain('cause=actor-mismatch');
    expect(entry.target).toContain('method=dmp.openDossier');
    expect(entry.target).toContain(`claimed=${doctorCard.nationalId}`);
    expect(entry.target).toContain(`proven=${secretaryCard.nationalId}`);
    expect(entry.target).toContain('detail=nationalId');
    expect(entry.target).toContain(`serial=${desk.serial}`);
    expect(entry.target).toContain(`sha256=${desk.fingerprint}`);
    expect(entry.target).toMatch(/subject=.*CN_poste-accueil/);
    // Names never, in the audit target or in the log.
    const logged = host.lines.slice(linesBefore).join('\n');
    for (const text of [entry.target ?? '', logged]) {
      expect(text).not.toMatch(/MEDECIN|SECRETAIRE|Jean|Anne/);
    }
    expect(logged).not.toContain(testInsKey.split('@')[0]);
    // The refusal sits in the same chain as the DMP's entries, and the chain verifies.
    expect(verifyAuditChain(await host.auditEntries()).ok).toBe(true);
    expect(await host.dmp.verifyAudit()).toMatchObject({ ok: true });
  });

  it('a refused card proof: entry with the refusal, no proven professional', async () => {
    const station = await host.client();
    const before = (await refusals()).length;
    await expect(
      station.authenticateProfessional(pki.card(doctorCard, { foreign: true })),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const added = (await refusals()).slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]!.insKey).toBeNull();
    expect(added[0]!.target).toContain('cause=card-proof');
    expect(added[0]!.target).toContain('method=session.prove');
    expect(added[0]!.target).toContain('proven=-');
    expect(added[0]!.target).toContain(`serial=${desk.serial}`);
  });

  it('a system call from a desk: entry naming the proven professional of the connection', async () => {
    const station = await host.client();
    await station.authenticateProfessional(pki.card(doctorCard));
    const before = (await refusals()).length;
    await expect(station.dmp.accessHistory({ patient: true }, testInsKey)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const added = (await refusals()).slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]!.insKey).toBe(testInsKey);
    expect(added[0]!.target).toContain('cause=system-call');
    expect(added[0]!.target).toContain('method=dmp.accessHistory');
    expect(added[0]!.target).toContain(`proven=${doctorCard.nationalId}`);
  });
});
