import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { dmpMigrations } from '../src/main/dmp/migrations';
import { connectToHost, type HostClient } from '../src/main/host-client';
import { createLogger, silentLogger } from '../src/main/log/logger';
import { households, TEST_INS_OID, type PersonIdentity } from '../src/main/population/households';
import { populationRows } from '../src/main/population/write-population';
import { normaliseName } from '../src/main/dmp/names';
import { loadOrCreateKeyFile } from '../src/main/store/key';
import { openPgStore } from '../src/main/store/pg/pg-store';
import { startPgCluster, type PgCluster } from '../tests/support/pg-cluster';
import { sharedCdaFixturesDir } from '../tests/support/shared-fixtures';
import { createBenchDeployment, type BenchStation } from './support/host-deployment';
import { bulkLoadPopulation } from './support/pg-bulk-load';
import { uniqueIps } from './support/unique-ips';
import { summarise, type BenchOptions, type BenchResult, type BenchRow } from './types';

/**
 * `npm run bench -- host [--quick] [--dossiers N] [--seconds S] [--clinical-every K]`: the shared DMP
 * host at scale. A throwaway PostgreSQL cluster, migrated by the real migrations, bulk-loaded with
 * COPY (bench/support/pg-bulk-load.ts) from the synthetic population: identity rows for every
 * dossier, documents and clinical entries for one dossier in K (default 10). Two host processes
 * (`node scripts/host.mjs --config …`, the bundle) on that database; fifty simulated workstations
 * (host clients with their own TLS certificate and card proof) spread over both, running at once:
 *
 * - the Vitale path, as the workstation makes it when a card is read (src/main/app/session-dossiers.ts):
 *   `identities.lookupByCard` → `dmp.searchDossiers({ insKey })` → `dmp.accessDecision` →
 *   `dmp.openDossier` → `dmp.getSummary`, timed from the first call to the summary received;
 * - the professional's patient search (`dmp.searchDossiersAs`, birth-name prefix + birth date),
 *   paced within its per-professional rate limit (10, then one every 6 s);
 * - IPS-FR deposits (`dmp.depositDocument`, the 1.5 MB CI-SIS fixture made unique per deposit),
 *   as many as a few workstations can push.
 *
 * Set-up (load, authorisations, warm-up) is not timed; the figures cover the measured window only.
 */
const root = resolve(import.meta.dirname, '..');
const seed = 'bench-host';
const reference = new Date('2026-11-01T00:00:00Z');
const stationCount = 50;
const hostCount = 2;
/** Pause between two Vitale reads on one workstation: 50 workstations → ~20 card reads a second in all. */
const vitaleThinkMs = 2_000;
/** One search per workstation every 6.5 s keeps within the per-professional limit (one per 6 s). */
const searchEveryMs = 6_500;
/** Workstations that also deposit, one IPS-FR after another (`--depositors N`). */
const defaultDepositors = 10;
const patientsPerStation = 40;

export async function benchHost(opts: BenchOptions): Promise<BenchResult> {
  const dossiers = Number(opts.values.dossiers ?? (opts.quick ? 20_000 : 1_000_000));
  const seconds = Number(opts.values.seconds ?? (opts.quick ? 20 : 60));
  const clinicalEvery = Number(opts.values['clinical-every'] ?? 10);
  const depositorCount = Number(opts.values.depositors ?? defaultDepositors);
  if (!Number.isInteger(depositorCount) || depositorCount < 0 || depositorCount > stationCount)
    throw new Error(`--depositors : entier entre 0 et ${stationCount} attendu.`);
  for (const [name, v] of [
    ['--dossiers', dossiers],
    ['--seconds', seconds],
    ['--clinical-every', clinicalEvery],
  ] as const)
    if (!Number.isInteger(v) || v < 1) throw new Error(`${name} : entier positif attendu.`);
  const notes: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'bench-host-'));
  let cluster: PgCluster | undefined;
  const hosts: RunningHost[] = [];
  const clients: HostClient[] = [];
  try {
    // ── Database: cluster, real migrations, COPY load ────────────────────────────────────────────
    cluster = await startPgCluster({
      settings: {
        // A host's database server, not a test one: room for the million-dossier indexes in memory.
        shared_buffers: '1GB',
        effective_cache_size: '4GB',
        maintenance_work_mem: '512MB',
        max_wal_size: '8GB',
        checkpoint_timeout: '30min',
        // Time per statement inside PostgreSQL (reset before each window, read after it).
        shared_preload_libraries: 'pg_stat_statements',
        'pg_stat_statements.track': 'top',
        // Inert until setDurability preloads the module for the hosts' sessions.
        'auto_explain.log_min_duration': String(slowMs),
        'auto_explain.log_analyze': 'on',
        'auto_explain.log_buffers': 'on',
      },
    });
    const db = await cluster.createDatabase('dmp_bench');
    const fieldKeyFile = join(dir, 'field.key');
    const fieldKey = loadOrCreateKeyFile(fieldKeyFile, silentLogger).key.key;
    // Both keys before the data: a host creates key files only for an empty database (host-keys.ts).
    const auditKeyFile = join(dir, 'audit.key');
    loadOrCreateKeyFile(auditKeyFile, silentLogger);
    const migrated = await openPgStore({ connection: db, log: silentLogger, migrations: dmpMigrations });
    await migrated.close();
    const spec = {
      patients: dossiers,
      seed,
      reference,
      clinicalContent: (d: number) => d % clinicalEvery === 0,
    };
    const patients = cardPatients(dossiers, clinicalEvery, stationCount * patientsPerStation);
    progress(`chargement de ${dossiers} dossiers (COPY)…`);
    const loadStarted = performance.now();
    const loaded = await bulkLoadPopulation({ connection: db, fieldKey, rows: populationRows(spec) });
    const loadS = (performance.now() - loadStarted) / 1000;
    const size = await databaseSize(db);
    notes.push(
      `${loaded.counts.dossiers.toLocaleString('fr-FR')} dossiers (identité de référence comprise), dont ${Math.ceil(dossiers / clinicalEvery).toLocaleString('fr-FR')} (1 sur ${clinicalEvery}) avec contenu clinique : ${loaded.counts.documents.toLocaleString('fr-FR')} documents, ${loaded.counts.clinical_entries.toLocaleString('fr-FR')} entrées cliniques ; colonnes scellées chiffrées (AES-256-GCM, clé de champ de l’hôte).`,
      `Chargement COPY ${loadS.toFixed(0)} s (dont index recréés + ANALYZE ${(loaded.indexMs / 1000).toFixed(0)} s) ; base ${(size / 1e9).toFixed(2)} Go ; charge machine pendant le chargement : ${loadavg()[0]!.toFixed(1)}.`,
    );
    // Loaded like a restore (fsync off); measured like a host in service: every commit fsync'd.
    await setDurability(db);

    // ── Deployment and the two hosts ─────────────────────────────────────────────────────────────
    progress(`chargé en ${loadS.toFixed(0)} s ; déploiement de test et hôtes…`);
    const deployment = await createBenchDeployment(join(dir, 'deployment'), stationCount);
    buildHostBundle();
    const connectionString = `postgresql://${db.user}@/${db.database}?host=${encodeURIComponent(db.host)}&port=${db.port}`;
    for (let h = 0; h < hostCount; h++) {
      const config = join(dir, `host-${h + 1}.json`);
      writeFileSync(
        config,
        JSON.stringify({
          listen: { host: '127.0.0.1', port: 0 },
          tls: { ca: deployment.caPath, cert: deployment.hostCertPath, key: deployment.hostKeyPath },
          professionalRoots: [deployment.cardTrustPath],
          storage: {
            kind: 'postgres',
            connectionString,
            auditKeyFile,
            fieldKeyFile,
          },
        }),
      );
      hosts.push(await startHost(config));
    }
    const connect = (url: string, identity: { certPem: string; keyPem: string }) =>
      connectToHost({
        url,
        caPem: deployment.caPem,
        certPem: identity.certPem,
        keyPem: identity.keyPem,
        log: createLogger({ sink: () => undefined }),
      });

    // The IPS-FR's patient gets a dossier from the fixture itself (system import), as a hospital would.
    const ipsXml = readFileSync(join(sharedCdaFixturesDir(), 'IPS-FR_2024.01.xml'), 'utf8');
    const gateway = await connect(hosts[0]!.url, deployment.system);
    clients.push(gateway);
    const ips = await gateway.dmp.importCda(new Uint8Array(Buffer.from(ipsXml)), {
      create: true,
      depositor: 'system',
    });

    // ── Workstations: connection, card proof, the patients each one sees ───────────────────────
    progress('postes : connexion, carte, autorisations…');
    const stations: Station[] = [];
    for (const [i, s] of deployment.stations.entries()) {
      const client = await connect(hosts[i % hostCount]!.url, s);
      clients.push(client);
      await client.authenticateProfessional(s.card);
      const own = patients.filter((_, p) => p % stationCount === i);
      stations.push({ index: i, station: s, client, patients: own });
    }
    // Patients present authorise their professional once (the workstation's « autoriser » step), untimed.
    for (const st of stations) {
      for (const p of st.patients) await st.client.dmp.authorize(st.station.actor, p.insKey);
      if (st.index < depositorCount) await st.client.dmp.authorize(st.station.actor, ips.insKey);
    }
    // Warm-up: one Vitale path per workstation (connections, plans, caches).
    await Promise.all(stations.map((st) => vitalePath(st, st.patients[0]!)));

    // ── Measured windows: the reads alone, then the reads while deposits run (the targets) ─────
    const ctx: PhaseContext = { stations, hosts, patients, ipsXml, ipsInsKey: ips.insKey, db, cluster };
    const readsOnly = Math.max(10, Math.round(seconds / 2));
    progress(`mesure, lectures seules, ${readsOnly} s…`);
    const alone = await measurePhase(ctx, readsOnly, 0);
    progress(`mesure, lectures + dépôts (${depositorCount} postes), ${seconds} s…`);
    const busy = await measurePhase(ctx, seconds, depositorCount);

    const scale = `${dossiers.toLocaleString('fr-FR')} dossiers`;
    const rows: BenchRow[] = [
      summarise(
        `Vitale → synthèse répondue par l’hôte (5 appels), ${scale}, pendant les dépôts`,
        'ms',
        busy.vitale,
        {
          text: 'p95 ≤ 50 ms',
          p95Max: 50,
        },
      ),
      summarise('dont identities.lookupByCard', 'ms', busy.lookup),
      summarise('dont searchDossiers(INS) + accessDecision + openDossier', 'ms', busy.open),
      summarise('dont getSummary', 'ms', busy.summary),
      summarise(
        `recherche patient nom (4 lettres) + date de naissance, ${scale}, pendant les dépôts`,
        'ms',
        busy.search,
        {
          text: 'p95 ≤ 20 ms',
          p95Max: 20,
        },
      ),
      summarise(
        `dépôts IPS-FR (1,5 Mo) par seconde, ${depositorCount} poste(s) en continu, pendant les lectures`,
        'doc/s',
        [busy.deposits.length / busy.elapsedS],
        {
          text: '≥ 50/s',
          minAtLeast: 50,
        },
      ),
      summarise('durée d’un dépôt IPS-FR', 'ms', busy.deposits),
      summarise('Vitale → synthèse, lectures seules (sans dépôts)', 'ms', alone.vitale),
      summarise('recherche patient, lectures seules (sans dépôts)', 'ms', alone.search),
      ...hosts.flatMap((h, i) => [
        summarise(`RSS hôte ${i + 1} (VmRSS max. pendant les mesures)`, 'Mo', [
          Math.max(alone.rssKb[i]!, busy.rssKb[i]!) / 1024,
        ]),
        summarise(`RSS hôte ${i + 1} (VmHWM, pic du processus)`, 'Mo', [procStatusKb(h.pid, 'VmHWM') / 1024]),
      ]),
    ];
    notes.push(
      `${hostCount} processus hôtes (bundle, node scripts/host.mjs --config) sur la même base, ${stationCount} postes (certificat TLS + preuve de carte chacun) répartis entre eux.`,
      `Chaque poste : une lecture Vitale toutes les ${vitaleThinkMs / 1000} s (patients autorisés au préalable, dossiers avec contenu clinique), une recherche toutes les ${searchEveryMs / 1000} s. Deux fenêtres : lectures seules ${alone.elapsedS.toFixed(0)} s, puis lectures + ${depositorCount} postes qui déposent des IPS-FR sans pause (dans le dossier du patient du document) ${busy.elapsedS.toFixed(0)} s ; les objectifs portent sur la seconde.`,
      'PostgreSQL chargé sans fsync puis mesuré avec fsync et full_page_writes (chaque commit sur disque) ; shared_buffers 1 Go.',
      ...phaseNotes('lectures seules', alone),
      ...phaseNotes('lectures + dépôts', busy),
    );
    return {
      name: `host — ${dossiers.toLocaleString('fr-FR')} dossiers PostgreSQL, 2 hôtes, 50 postes`,
      rows,
      notes,
    };
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    for (const h of hosts) await h.stop();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface PhaseContext {
  stations: Station[];
  hosts: RunningHost[];
  patients: CardPatient[];
  ipsXml: string;
  ipsInsKey: string;
  db: pg.ClientConfig;
  cluster: PgCluster;
}

interface Phase {
  elapsedS: number;
  vitale: number[];
  lookup: number[];
  open: number[];
  summary: number[];
  search: number[];
  deposits: number[];
  failures: string[];
  rssKb: number[];
  loadBefore: number;
  loadAfter: number;
  cpu: { hosts: number[]; pg: number; bench: number };
  activity: DatabaseActivity;
  slow: string[];
  slowLog: string;
  statements: string[];
}

let depositSeq = 0;

/** One measured window: every workstation reads cards and searches; `depositors` of them also deposit. */
async function measurePhase(ctx: PhaseContext, seconds: number, depositors: number): Promise<Phase> {
  const { stations, hosts, patients } = ctx;
  const phase = {
    vitale: [] as number[],
    lookup: [] as number[],
    open: [] as number[],
    summary: [] as number[],
    search: [] as number[],
    deposits: [] as number[],
    failures: [] as string[],
  };
  const rssKb = hosts.map(() => 0);
  const logFile = join(ctx.cluster.dir, 'postgres.log');
  const logFrom = fileSize(logFile);
  await resetStatementStats(ctx.db);
  const activity = await watchDatabase(ctx.db);
  const postmaster = ctx.cluster.pid;
  const cpuBefore = {
    hosts: hosts.map((h) => cpuSeconds([h.pid])),
    pg: cpuSeconds(withChildren(postmaster)),
    bench: process.cpuUsage(),
  };
  const loadBefore = loadavg()[0]!;
  const start = performance.now();
  const end = start + seconds * 1000;
  const sampler = setInterval(() => {
    hosts.forEach((h, i) => (rssKb[i] = Math.max(rssKb[i]!, procStatusKb(h.pid, 'VmRSS'))));
  }, 500);
  const fail = (what: string) => (err: unknown) => {
    phase.failures.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
  };
  await Promise.all([
    ...stations.map(async (st) => {
      let next = 0;
      await sleep(Math.random() * vitaleThinkMs);
      while (performance.now() < end) {
        const patient = st.patients[next++ % st.patients.length]!;
        const timing = await vitalePath(st, patient).catch(fail('vitale'));
        if (timing) {
          phase.vitale.push(timing.total);
          phase.lookup.push(timing.lookup);
          phase.open.push(timing.open);
          phase.summary.push(timing.summary);
        }
        await sleep(vitaleThinkMs);
      }
    }),
    ...stations.map(async (st) => {
      let next = 0;
      await sleep(Math.random() * searchEveryMs);
      while (performance.now() < end) {
        const p = patients[(st.index * 7 + next++ * 13) % patients.length]!;
        const t0 = performance.now();
        const found = await st.client.dmp
          .searchDossiersAs(st.station.actor, { name: p.birthNameNorm.slice(0, 4), birthDate: p.birthDate })
          .catch(fail('search'));
        if (found) {
          phase.search.push(performance.now() - t0);
          if (!found.some((d) => d.insKey === p.insKey)) phase.failures.push('search: person not found');
        }
        await sleep(searchEveryMs);
      }
    }),
    ...stations.slice(0, depositors).map(async (st) => {
      while (performance.now() < end) {
        const n = ++depositSeq;
        const t0 = performance.now();
        const meta = await st.client.dmp
          .depositDocument(st.station.actor, {
            insKey: ctx.ipsInsKey,
            fileName: 'IPS-FR.xml',
            contentBase64: Buffer.from(uniqueIps(ctx.ipsXml, st.index, n)).toString('base64'),
            visibility: {
              hiddenFromPatient: false,
              maskedFromProfessionals: false,
              hiddenFromLegalRepresentatives: false,
            },
          })
          .catch(fail('deposit'));
        if (meta && performance.now() <= end) phase.deposits.push(performance.now() - t0);
      }
    }),
  ]);
  const elapsedS = (performance.now() - start) / 1000;
  clearInterval(sampler);
  const used = process.cpuUsage(cpuBefore.bench);
  const cpu = {
    hosts: hosts.map((h, i) => (cpuSeconds([h.pid]) - cpuBefore.hosts[i]!) / elapsedS),
    pg: (cpuSeconds(withChildren(postmaster)) - cpuBefore.pg) / elapsedS,
    bench: (used.user + used.system) / 1e6 / elapsedS,
  };
  await activity.stop();
  const slowLog = join(tmpdir(), `bench-host-${new Date().toISOString().replace(/[:.]/g, '-')}-slow.log`);
  const slow = slowStatements(logFile, logFrom, slowLog);
  const statements = await statementStats(ctx.db);
  return {
    ...phase,
    elapsedS,
    rssKb,
    loadBefore,
    loadAfter: loadavg()[0]!,
    cpu,
    activity,
    slow,
    slowLog,
    statements,
  };
}

function phaseNotes(label: string, p: Phase): string[] {
  return [
    `[${label}] charge machine (1 min) ${p.loadBefore.toFixed(1)} → ${p.loadAfter.toFixed(1)} (2 cœurs partagés) ; CPU en cœurs occupés : ${p.cpu.hosts.map((c, i) => `hôte ${i + 1} ${c.toFixed(2)}`).join(', ')}, PostgreSQL ${p.cpu.pg >= 0 ? p.cpu.pg.toFixed(2) : 'non mesuré (connexions fermées pendant la fenêtre)'}, les 50 postes simulés (processus du banc) ${p.cpu.bench.toFixed(2)}.`,
    `[${label}] PostgreSQL : ${p.activity.commitsPerSecond.toFixed(0)} transactions validées/s, en moyenne ${p.activity.active.toFixed(1)} sessions actives dont ${p.activity.lockWaiters.toFixed(1)} en attente du verrou d’écriture partagé (pg_advisory_xact_lock).`,
    `[${label}] requêtes de plus de ${slowMs} ms journalisées par PostgreSQL (plans auto_explain dans ${p.slowLog}) : ${p.slow.length === 0 ? 'aucune' : ''}`,
    ...p.slow.map((line) => `    ${line}`),
    `[${label}] temps passé dans PostgreSQL par requête (pg_stat_statements, les plus coûteuses en temps total) :`,
    ...p.statements.map((line) => `    ${line}`),
    p.failures.length === 0
      ? `[${label}] aucun appel en échec.`
      : `[${label}] ${p.failures.length} appel(s) en échec, p. ex. ${[...new Set(p.failures)].slice(0, 3).join(' | ')}`,
  ];
}

interface Station {
  index: number;
  station: BenchStation;
  client: HostClient;
  patients: CardPatient[];
}

interface CardPatient {
  insKey: string;
  cardNir: string;
  firstName: string;
  birthDate: string;
  birthNameNorm: string;
}

/**
 * People alone on their Vitale card (no beneficiary to pick) whose dossier has clinical content,
 * spread evenly over the population: what the workstations read cards of.
 */
function cardPatients(dossiers: number, clinicalEvery: number, count: number): CardPatient[] {
  const eligible: PersonIdentity[] = [];
  let d = 0;
  for (const household of households(seed, dossiers, reference)) {
    for (const person of household.members) {
      if (household.members.length === 1 && d % clinicalEvery === 0) eligible.push(person);
      d++;
    }
  }
  if (eligible.length < stationCount)
    throw new Error(`Pas assez de patients éligibles : ${eligible.length} pour ${stationCount} postes.`);
  const taken = Math.min(count, eligible.length);
  const step = eligible.length / taken;
  return Array.from({ length: taken }, (_, i) => {
    const p = eligible[Math.floor(i * step)]!;
    return {
      insKey: `${p.matricule}@${TEST_INS_OID}`,
      cardNir: p.matricule,
      firstName: p.firstNames.split(' ')[0]!,
      birthDate: p.birthDate,
      birthNameNorm: normaliseName(p.birthName),
    };
  });
}

/** The calls a workstation makes when a Vitale is read, for a patient who already authorised it. */
async function vitalePath(st: Station, p: CardPatient) {
  const { dmp, identities } = st.client;
  const t0 = performance.now();
  const answer = await identities.lookupByCard({
    cardNir: p.cardNir,
    firstName: p.firstName,
    birthDate: p.birthDate,
    birthRank: 1,
    cardStatus: 'test',
  });
  if (answer.kind !== 'one') throw new Error(`lookupByCard: ${answer.kind}`);
  const t1 = performance.now();
  const [dossier] = await dmp.searchDossiers({ insKey: p.insKey });
  if (!dossier) throw new Error('dossier not found');
  const decision = await dmp.accessDecision(st.station.actor, p.insKey);
  if (!decision.allowed) throw new Error(`access refused: ${decision.rule}`);
  await dmp.openDossier(st.station.actor, p.insKey);
  const t2 = performance.now();
  await dmp.getSummary(st.station.actor, p.insKey);
  const t3 = performance.now();
  return { total: t3 - t0, lookup: t1 - t0, open: t2 - t1, summary: t3 - t2 };
}

async function databaseSize(connection: pg.ClientConfig): Promise<number> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT pg_database_size(current_database()) AS n');
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

/**
 * fsync and full-page writes back on (reloadable settings), then a checkpoint: the load is on disk.
 * From here PostgreSQL also logs statements slower than `slowMs` and, through auto_explain, their
 * plans — never their parameters (INS, names): that log is where the time goes, read after the run.
 */
async function setDurability(connection: pg.ClientConfig): Promise<void> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    for (const [name, value] of [
      ['fsync', 'on'],
      ['full_page_writes', 'on'],
      ['log_min_duration_statement', String(slowMs)],
      ['log_parameter_max_length', '0'],
      ['session_preload_libraries', 'auto_explain'],
    ])
      await client.query(`ALTER SYSTEM SET ${name} = '${value}'`);
    await client.query('SELECT pg_reload_conf()');
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}

function buildHostBundle(): void {
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'host.mjs'), '--build-only'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`bundle de l’hôte : ${built.stderr}`);
}

interface RunningHost {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** `node scripts/host.mjs --config FILE`; resolves once the host printed its URL. */
async function startHost(config: string): Promise<RunningHost> {
  // POSTE_DMP_BENCH_HOST_PROFILE=DIR: each host writes a CPU profile there when it stops (where the time goes).
  const profileDir = process.env.POSTE_DMP_BENCH_HOST_PROFILE;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child: ChildProcess = spawn(
    process.execPath,
    [...profile, join(root, 'scripts', 'host.mjs'), '--config', config],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((done) => child.once('close', () => done()));
  const url = await new Promise<string | null>((done) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const found = /à l’écoute : (https:\/\/\S+)/.exec(stdout)?.[1];
      if (found) done(found.replace('127.0.0.1', 'localhost'));
    });
    void exited.then(() => done(null));
  });
  if (!url || child.pid === undefined) throw new Error(`L’hôte n’a pas démarré : ${stderr.trim()}`);
  const pid = child.pid;
  return {
    url,
    pid,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** User + system CPU seconds of these processes (/proc/<pid>/stat, clock ticks of 1/100 s). */
function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone since listed (a backend that ended): its time is lost, which the note's figure tolerates.
    }
  }
  return ticks / 100;
}

/** The postmaster and its backends (every process whose parent it is). */
function withChildren(pid: number): number[] {
  const found = [pid];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) found.push(Number(entry));
    } catch {
      // Ended while listing.
    }
  }
  return found;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function procStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return Number(match?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Set-up steps on stderr: a million-dossier run takes long enough to want to know where it is. */
const progress = (text: string) =>
  void process.stderr.write(`   [host] ${new Date().toISOString().slice(11, 19)} ${text}\n`);

/** Statements slower than this are logged by PostgreSQL with their plan (auto_explain). */
const slowMs = 50;

interface DatabaseActivity {
  /** Mean number of sessions waiting for the shared write lock (advisory), sampled every 500 ms. */
  lockWaiters: number;
  /** Mean number of sessions running a statement. */
  active: number;
  commitsPerSecond: number;
  stop(): Promise<void>;
}

async function resetStatementStats(connection: pg.ClientConfig): Promise<void> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    await client.query('SELECT pg_stat_statements_reset()');
  } finally {
    await client.end();
  }
}

/** The statements that took the most time inside PostgreSQL since the reset: calls, mean and max. */
async function statementStats(connection: pg.ClientConfig): Promise<string[]> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    const { rows } = await client.query<{
      calls: string;
      mean: number;
      max: number;
      total: number;
      query: string;
    }>(
      `SELECT calls, mean_exec_time AS mean, max_exec_time AS max, total_exec_time AS total, query
         FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        ORDER BY total_exec_time DESC LIMIT 8`,
    );
    return rows.map(
      (r) =>
        `${r.calls} × moy. ${r.mean.toFixed(2)} ms (max ${r.max.toFixed(0)} ms, total ${(r.total / 1000).toFixed(1)} s) ${r.query.replace(/\s+/g, ' ').slice(0, 110)}`,
    );
  } finally {
    await client.end();
  }
}

/** Samples pg_stat_activity while the workstations run: how many sessions queue for the write lock. */
async function watchDatabase(connection: pg.ClientConfig): Promise<DatabaseActivity> {
  const client = new pg.Client(connection);
  await client.connect();
  const commits = async () =>
    Number(
      (
        await client.query<{ n: string }>(
          'SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()',
        )
      ).rows[0]?.n ?? 0,
    );
  const first = await commits();
  const started = performance.now();
  let samples = 0;
  let waiting = 0;
  let active = 0;
  let busy: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    busy = busy.then(async () => {
      const { rows } = await client.query<{ waiting: string; active: string }>(
        `SELECT count(*) FILTER (WHERE wait_event = 'advisory') AS waiting,
                count(*) FILTER (WHERE state = 'active') - 1 AS active
           FROM pg_stat_activity WHERE datname = current_database()`,
      );
      samples++;
      waiting += Number(rows[0]?.waiting ?? 0);
      active += Number(rows[0]?.active ?? 0);
    });
  }, 500);
  const result: DatabaseActivity = {
    lockWaiters: 0,
    active: 0,
    commitsPerSecond: 0,
    async stop() {
      clearInterval(timer);
      await busy;
      result.lockWaiters = samples ? waiting / samples : 0;
      result.active = samples ? active / samples : 0;
      result.commitsPerSecond = ((await commits()) - first) / ((performance.now() - started) / 1000);
      await client.end();
    },
  };
  return result;
}

/**
 * The statements PostgreSQL logged as slower than `slowMs` since `from` (a byte offset in its log):
 * grouped by text (parameters are never logged), slowest first; the whole log part is kept in `keepAs`.
 */
function slowStatements(logFile: string, from: number, keepAs: string): string[] {
  let text: string;
  try {
    text = readFileSync(logFile).subarray(from).toString('utf8');
  } catch {
    return [];
  }
  writeFileSync(keepAs, text);
  const groups = new Map<string, { n: number; max: number; total: number }>();
  for (const m of text.matchAll(/duration: ([\d.]+) ms {2}(?:statement|execute [^:]*): (.*)/g)) {
    const ms = Number(m[1]);
    const sql = m[2]!.replace(/\s+/g, ' ').slice(0, 110);
    const g = groups.get(sql) ?? { n: 0, max: 0, total: 0 };
    g.n++;
    g.max = Math.max(g.max, ms);
    g.total += ms;
    groups.set(sql, g);
  }
  return [...groups.entries()]
    .sort((a, b) => b[1].total - a[1].total)
    .slice(0, 6)
    .map(
      ([sql, g]) => `${g.n} × (max ${g.max.toFixed(0)} ms, total ${(g.total / 1000).toFixed(1)} s) ${sql}`,
    );
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
