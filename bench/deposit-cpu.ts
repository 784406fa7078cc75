import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../src/main/audit/audit-log';
import { deriveAuditKeys } from '../src/main/audit/audit-keys';
import { frameText, jsonDepthExceeds, MAX_JSON_DEPTH } from '../src/main/bridge/frame-limits';
import type { DmpActor } from '../src/main/dmp/actors';
import { CdaParserPool } from '../src/main/dmp/cda-parser-pool';
import { DmpService } from '../src/main/dmp/dmp-service';
import { dmpMigrations } from '../src/main/dmp/migrations';
import { hostMethods } from '../src/main/host-api/methods';
import { ProfessionalSessions } from '../src/main/host/professional-sessions';
import { createHostRouter, type HostConnection } from '../src/main/host/routing';
import { IdentityReference } from '../src/main/identity/identity-reference';
import { silentLogger } from '../src/main/log/logger';
import { claimingStore } from '../src/main/store/host-requests';
import { openPgStore } from '../src/main/store/pg/pg-store';
import { startPgCluster } from '../tests/support/pg-cluster';
import { sharedCdaFixturesDir } from '../tests/support/shared-fixtures';
import { uniqueIps } from './support/unique-ips';
import { summarise, type BenchOptions, type BenchResult } from './types';

/**
 * `npm run bench -- deposit [--quick] [--deposits N] [--runs R]`: the host's CPU time per IPS-FR
 * deposit (issue 13), measured with `process.cpuUsage()` — CPU, not wall time, because this VM is
 * shared and loaded: wall time measures the neighbours, CPU time what a deposit costs.
 *
 * What runs is the host's own work for one `dmp.depositDocument` request from the moment its body has
 * arrived: the JSON depth check and `JSON.parse` of the body (server.ts), the router with the method
 * table's zod decode, the card-session check and the request-id claim (routing.ts), the DMP service
 * (base64 decode, the parse in the host's `CdaParserPool` worker — its CPU is this process's —,
 * sealing, the INSERTs and the audit append) on a real throwaway PostgreSQL with a field key, and the
 * answer's JSON. Left out: TLS and HTTP/2 framing (unchanged by the host's code) and the card proof
 * itself (checked once per session, stubbed here). The client's work — building the 2 MB JSON body —
 * is done before the clock starts. Deposits run one at a time, after a warm-up.
 */
export async function benchDepositCpu(opts: BenchOptions): Promise<BenchResult> {
  const deposits = Number(opts.values.deposits ?? (opts.quick ? 20 : 40));
  const runs = Number(opts.values.runs ?? (opts.quick ? 1 : 3));
  const warmUp = 5;
  const cluster = await startPgCluster();
  const pool = new CdaParserPool({ log: silentLogger });
  const notes: string[] = [];
  const perDeposit: number[] = [];
  const perRun: number[] = [];
  const mainPerRun: number[] = [];
  try {
    const store = await openPgStore({
      connection: await cluster.createDatabase('dmp'),
      log: silentLogger,
      migrations: dmpMigrations,
      fieldKey: randomBytes(32),
    });
    const requestStore = claimingStore(store);
    const auditLog = AuditLog.open(requestStore, { keys: deriveAuditKeys(randomBytes(32)) });
    const dmp = new DmpService({ store: requestStore, log: silentLogger, auditLog, cdaParser: pool });
    const ipsXml = readFileSync(join(sharedCdaFixturesDir(), 'IPS-FR_2024.01.xml'), 'utf8');
    const ips = await dmp.importCda(new Uint8Array(Buffer.from(ipsXml)), {
      create: true,
      depositor: 'system',
    });
    await dmp.authorize(doctor, ips.insKey);

    const sessions = new ProfessionalSessions({
      verify: async () => ({ ...doctorCard }),
      idleMs: 3_600_000,
      log: silentLogger,
    });
    const route = createHostRouter({
      dmp,
      identities: new IdentityReference(store),
      sessions,
      log: silentLogger,
      version: 'bench',
      requests: store,
    });
    const conn: HostConnection = {
      id: 'bench',
      workstation: 'poste-banc',
      fingerprint: 'AA:BB',
      systemCalls: false,
      certificate: { name: 'poste-banc', subject: 'CN=poste-banc', serial: '01', fingerprint: 'AA:BB' },
      exportKeyingMaterial: (length) => Buffer.alloc(length),
    };
    await sessions.prove(conn, {
      nonce: sessions.challenge(conn),
      certificatePem: '',
      signature: new Uint8Array(),
    });

    let seq = 0;
    /** The request body as the workstation sends it (client work, untimed). */
    const body = (): Buffer => {
      const input = {
        insKey: ips.insKey,
        fileName: 'ips.xml',
        contentBase64: Buffer.from(uniqueIps(ipsXml, 0, ++seq)).toString('base64'),
        visibility: {
          hiddenFromPatient: false,
          maskedFromProfessionals: false,
          hiddenFromLegalRepresentatives: false,
        },
      };
      const args = hostMethods['dmp.depositDocument'].args.encode([doctor, input] as never);
      return Buffer.from(JSON.stringify({ args, requestId: randomUUID() }));
    };
    /** What the host does with it (server.ts `handle`, minus TLS and HTTP/2). */
    const serve = async (received: Buffer): Promise<void> => {
      if (jsonDepthExceeds(received, MAX_JSON_DEPTH)) throw new Error('too deep');
      const response = await route('dmp.depositDocument', JSON.parse(frameText(received)), conn);
      if (!response.ok) throw new Error(`deposit refused: ${response.error.message}`);
      JSON.stringify(response);
    };

    for (let i = 0; i < warmUp; i++) await serve(body());
    for (let r = 0; r < runs; r++) {
      let total = 0;
      // Built first, so the series' main-thread time is the host's alone.
      const bodies = Array.from({ length: deposits }, body);
      const mainBefore = mainThreadCpuMs();
      for (const received of bodies) {
        const before = process.cpuUsage();
        await serve(received);
        const used = process.cpuUsage(before);
        const ms = (used.user + used.system) / 1000;
        perDeposit.push(ms);
        total += ms;
      }
      perRun.push(total / deposits);
      // The event loop's share (clock ticks of 10 ms, so per series): what queues the host's other requests.
      const mainAfter = mainThreadCpuMs();
      if (mainBefore !== null && mainAfter !== null) mainPerRun.push((mainAfter - mainBefore) / deposits);
    }
    notes.push(
      `${runs} série(s) de ${deposits} dépôts IPS-FR (1,5 Mo, rendu unique à chaque dépôt) après ${warmUp} de chauffe, un à la fois ; PostgreSQL jetable, colonnes scellées (clé de champ).`,
      `Temps CPU du processus (tous fils, analyse CDA du pool comprise) entre le corps reçu et la réponse sérialisée ; TLS/HTTP2 non compris.`,
      `Moyenne par série : ${perRun.map((m) => m.toFixed(0)).join(', ')} ms ; charge machine (1 min) à la fin : ${loadavg()[0]!.toFixed(2)}.`,
    );
    await store.close();
  } finally {
    await pool.close();
    await cluster.stop();
  }
  return {
    name: 'Hôte DMP : CPU par dépôt IPS-FR (issue 13)',
    rows: [
      summarise('CPU de l’hôte par dépôt IPS-FR (user + system, tous fils)', 'ms', perDeposit),
      summarise('  même chose, moyenne d’une série', 'ms', perRun),
      ...(mainPerRun.length
        ? [summarise('  dont fil principal (boucle d’événements), moyenne d’une série', 'ms', mainPerRun)]
        : []),
    ],
    notes,
  };
}

/** CPU time of this process's main thread (user + system, ms, in 10 ms ticks), from /proc (Linux); null elsewhere. */
function mainThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

const doctorCard = {
  nationalId: '810001234567',
  professionCode: '10',
  lastName: 'MEDECIN',
  firstName: 'Jean',
  cardKind: 'cps' as const,
};

const doctor: DmpActor = {
  mode: 'normal',
  professional: {
    reader: 'Lecteur CPS (banc)',
    cardKind: 'cps',
    serial: 'BENCH00001',
    holder: {
      nationalId: doctorCard.nationalId,
      nationalIdType: 'RPPS',
      lastName: doctorCard.lastName,
      firstName: doctorCard.firstName,
      professionCode: '10',
      professionLabel: 'Médecin',
      situations: [{ label: 'Cabinet du banc' }],
    },
  },
};
