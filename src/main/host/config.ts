import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { frenchIssues } from '../bridge/dispatcher';
import { defaultHostLimits } from './rate-limit';
import { isLoopbackHost, isWildcardHost } from './health';

/**
 * The DMP host's configuration: one JSON file (`--config FILE`), every field checked (unknown ones
 * refused, so a typo never silently falls back to a default), then the environment overrides below.
 * Relative paths in the file are relative to the file; in the environment, to the working directory.
 */
const path = z.string().trim().min(1).max(4096);

/** The host's sweep interval when host.json does not set `sessionSweepSeconds`. */
export const defaultSessionSweepSeconds = 30;

export const hostConfigSchema = z.strictObject({
  listen: z
    .strictObject({
      host: z.string().trim().min(1).max(255).default('127.0.0.1'),
      port: z.number().int().min(0).max(65_535).default(8443),
    })
    .default({ host: '127.0.0.1', port: 8443 }),
  tls: z.strictObject({
    /** The deployment CA: workstation certificates must chain to it. */
    ca: path,
    /** The host's own certificate (chain) and key. */
    cert: path,
    key: path,
  }),
  /** Trust anchors for professional card certificates; default: the deployment CA (`tls.ca`). */
  professionalRoots: z.array(path).min(1).max(16).optional(),
  storage: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('embedded'), dataDir: path }),
    z.strictObject({
      kind: z.literal('postgres'),
      connectionString: z.string().trim().min(1).max(4096),
      /** The audit trail's HMAC secret (a 0600 file, created on first start). */
      auditKeyFile: path,
      /** The key sealing document contents and clinical entries at rest (a 0600 file). */
      fieldKeyFile: path,
    }),
    /**
     * A PostgreSQL cluster this host creates on first start (`initdb` in `clusterDir`), starts and
     * stops itself: the quick start (`npm run host -- --data DIR`, local-postgres.ts). Unix socket
     * in `clusterDir` only, database `dmp`.
     */
    z.strictObject({
      kind: z.literal('local-postgres'),
      clusterDir: path,
      /** Names the socket `.s.PGSQL.<port>` in `clusterDir`; no TCP listener. */
      port: z.number().int().min(1024).max(65_535),
      auditKeyFile: path,
      fieldKeyFile: path,
    }),
  ]),
  /** A proven professional with no call for this long must present the card again. */
  professionalIdleMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  /**
   * How often the host ends idle professional sessions and checks open sessions' cards against the
   * revocation data without waiting for a call (server.ts). Shorter: a revoked card's session ends
   * sooner, at the cost of a revocation check per open session each time (OCSP: an answer is cached
   * for `revocation.ocsp.maxCacheSeconds`). At most `professionalIdleMinutes` (loadHostConfig).
   */
  sessionSweepSeconds: z.number().int().min(5).max(600).default(defaultSessionSweepSeconds),
  /**
   * CRLs of the deployment's authorities (PEM or DER): AC ORGANISATIONS' for workstation
   * certificates, AC PERSONNES' for cards, the root's for the authorities themselves. Re-read when a
   * file changes; an expired one fails closed (docs/host.md « Révocation »).
   */
  revocation: z
    .strictObject({
      crlFiles: z.array(path).min(1).max(32).optional(),
      /**
       * OCSP for workstation and card certificates (src/main/pki/ocsp.ts), beside or instead of CRLs:
       * the responder `url` (default: each certificate's AIA), the time one answer may take, and how
       * long a verified answer is kept at most (until its nextUpdate otherwise). Fail closed.
       */
      ocsp: z
        .strictObject({
          url: z
            .url({ protocol: /^https?$/ })
            .max(2048)
            .optional(),
          timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
          maxCacheSeconds: z
            .number()
            .int()
            .min(1)
            .max(24 * 60 * 60)
            .default(300),
        })
        .optional(),
    })
    .refine((r) => r.crlFiles !== undefined || r.ocsp !== undefined, {
      message: 'revocation : crlFiles ou ocsp attendu',
    })
    .optional(),
  /** Per-workstation limits (src/main/host/rate-limit.ts). */
  limits: z
    .strictObject({
      requestsPerSecond: z.number().positive().max(10_000).default(defaultHostLimits.requestsPerSecond),
      burst: z.number().int().min(1).max(100_000).default(defaultHostLimits.burst),
      maxConcurrentStreams: z
        .number()
        .int()
        .min(1)
        .max(1_000)
        .default(defaultHostLimits.maxConcurrentStreams),
    })
    .default(defaultHostLimits),
  /**
   * Where deposited CDAs are parsed: worker threads (dmp/cda-parser-pool.ts), so that a 1.5 MB parse
   * never holds the event loop every other request of the host waits on. `workers` default: the
   * machine's cores minus one, 1 to 4.
   */
  cdaParsing: z
    .strictObject({
      workers: z.number().int().min(1).max(64).optional(),
      /** Documents waiting for a worker at most; one more is refused « serveur occupé ». */
      maxQueued: z.number().int().min(1).max(10_000).default(64),
      /** One document's time budget; beyond it the parse is stopped and the document refused. */
      timeoutSeconds: z.number().int().min(1).max(600).default(30),
    })
    .default({ maxQueued: 64, timeoutSeconds: 30 }),
  /**
   * PostgreSQL: this host's signed checkpoints of the audit head, a file OUTSIDE the database (each
   * host its own); default `audit-checkpoints.log` beside `storage.auditKeyFile`.
   */
  auditCheckpointFile: path.optional(),
  /**
   * The health answer for load balancers and monitoring (health.ts, docs/host.md « Santé du
   * serveur »): plain HTTP, no authentication, so on loopback unless `allowRemote` says the address
   * is on an administration network. Absent: no health listener.
   */
  health: z
    .strictObject({
      listen: z.strictObject({
        host: z.string().trim().min(1).max(255).default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535),
      }),
      allowRemote: z.boolean().default(false),
      /** The database must answer `SELECT 1` within this, or the host is not ready. */
      databaseTimeoutMs: z.number().int().min(100).max(60_000).default(2_000),
    })
    .optional(),
});
export type HostConfig = z.infer<typeof hostConfigSchema>;

/** Environment variables that override the file (deployment tooling, containers). */
export const hostEnvironment = {
  POSTE_DMP_HOST_LISTEN: 'listen.host',
  POSTE_DMP_HOST_PORT: 'listen.port',
  POSTE_DMP_HOST_TLS_CA: 'tls.ca',
  POSTE_DMP_HOST_TLS_CERT: 'tls.cert',
  POSTE_DMP_HOST_TLS_KEY: 'tls.key',
  POSTE_DMP_HOST_DATA: 'storage.dataDir (storage embedded)',
  POSTE_DMP_HOST_DATABASE_URL: 'storage.connectionString (storage postgres)',
  POSTE_DMP_HOST_AUDIT_KEY: 'storage.auditKeyFile',
  POSTE_DMP_HOST_FIELD_KEY: 'storage.fieldKeyFile',
  POSTE_DMP_HOST_HEALTH_PORT: 'health.listen.port (crée la section health, sur 127.0.0.1 par défaut)',
} as const;

export class HostConfigError extends Error {}

type Raw = Record<string, unknown>;

function objectAt(raw: Raw, key: string): Raw {
  const value = raw[key];
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Raw;
  const created: Raw = {};
  raw[key] = created;
  return created;
}

function applyEnvironment(raw: Raw, env: NodeJS.ProcessEnv, cwd: string): void {
  const pathFrom = (value: string): string => resolve(cwd, value);
  if (env.POSTE_DMP_HOST_LISTEN) objectAt(raw, 'listen').host = env.POSTE_DMP_HOST_LISTEN;
  if (env.POSTE_DMP_HOST_PORT) {
    const port = Number(env.POSTE_DMP_HOST_PORT);
    if (!/^\d{1,5}$/.test(env.POSTE_DMP_HOST_PORT) || port > 65_535) {
      throw new HostConfigError('Variable POSTE_DMP_HOST_PORT : numéro de port attendu (0 à 65535).');
    }
    objectAt(raw, 'listen').port = port;
  }
  if (env.POSTE_DMP_HOST_HEALTH_PORT) {
    const port = Number(env.POSTE_DMP_HOST_HEALTH_PORT);
    if (!/^\d{1,5}$/.test(env.POSTE_DMP_HOST_HEALTH_PORT) || port > 65_535) {
      throw new HostConfigError('Variable POSTE_DMP_HOST_HEALTH_PORT : numéro de port attendu (0 à 65535).');
    }
    objectAt(objectAt(raw, 'health'), 'listen').port = port;
  }
  if (env.POSTE_DMP_HOST_TLS_CA) objectAt(raw, 'tls').ca = pathFrom(env.POSTE_DMP_HOST_TLS_CA);
  if (env.POSTE_DMP_HOST_TLS_CERT) objectAt(raw, 'tls').cert = pathFrom(env.POSTE_DMP_HOST_TLS_CERT);
  if (env.POSTE_DMP_HOST_TLS_KEY) objectAt(raw, 'tls').key = pathFrom(env.POSTE_DMP_HOST_TLS_KEY);
  if (env.POSTE_DMP_HOST_DATA && env.POSTE_DMP_HOST_DATABASE_URL) {
    throw new HostConfigError(
      'POSTE_DMP_HOST_DATA et POSTE_DMP_HOST_DATABASE_URL sont toutes deux définies : choisissez un seul stockage.',
    );
  }
  if (env.POSTE_DMP_HOST_DATA) raw.storage = { kind: 'embedded', dataDir: pathFrom(env.POSTE_DMP_HOST_DATA) };
  if (env.POSTE_DMP_HOST_DATABASE_URL) {
    const storage = objectAt(raw, 'storage');
    if (storage.kind !== 'postgres') {
      raw.storage = { kind: 'postgres' };
    }
    objectAt(raw, 'storage').connectionString = env.POSTE_DMP_HOST_DATABASE_URL;
  }
  if (env.POSTE_DMP_HOST_AUDIT_KEY)
    objectAt(raw, 'storage').auditKeyFile = pathFrom(env.POSTE_DMP_HOST_AUDIT_KEY);
  if (env.POSTE_DMP_HOST_FIELD_KEY)
    objectAt(raw, 'storage').fieldKeyFile = pathFrom(env.POSTE_DMP_HOST_FIELD_KEY);
}

function resolvePaths(config: HostConfig, base: string): HostConfig {
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(base, p));
  return {
    ...config,
    tls: { ca: at(config.tls.ca), cert: at(config.tls.cert), key: at(config.tls.key) },
    ...(config.professionalRoots ? { professionalRoots: config.professionalRoots.map(at) } : {}),
    ...(config.revocation
      ? {
          revocation: {
            ...config.revocation,
            ...(config.revocation.crlFiles ? { crlFiles: config.revocation.crlFiles.map(at) } : {}),
          },
        }
      : {}),
    ...(config.auditCheckpointFile ? { auditCheckpointFile: at(config.auditCheckpointFile) } : {}),
    storage:
      config.storage.kind === 'embedded'
        ? { kind: 'embedded', dataDir: at(config.storage.dataDir) }
        : {
            ...config.storage,
            ...(config.storage.kind === 'local-postgres'
              ? { clusterDir: at(config.storage.clusterDir) }
              : {}),
            auditKeyFile: at(config.storage.auditKeyFile),
            fieldKeyFile: at(config.storage.fieldKeyFile),
          },
  };
}

/** Reads, overrides and validates the configuration; throws a `HostConfigError` in French. */
export function loadHostConfig(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): HostConfig {
  const absolute = resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new HostConfigError(
      code === 'ENOENT'
        ? `Fichier de configuration introuvable : ${absolute}`
        : `Fichier de configuration illisible : ${absolute} (${code ?? 'erreur'})`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new HostConfigError(
      `Fichier de configuration ${absolute} : JSON invalide (${err instanceof Error ? err.message : ''}).`,
    );
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new HostConfigError(`Fichier de configuration ${absolute} : un objet JSON est attendu.`);
  }
  // Environment paths are made absolute (from cwd) here; the file's relative ones from the file's folder below.
  applyEnvironment(raw as Raw, env, cwd);
  const parsed = hostConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new HostConfigError(
      `Configuration du serveur DMP invalide (${absolute}) : ${frenchIssues(parsed.error)}.`,
    );
  }
  const health = parsed.data.health;
  if (health && !health.allowRemote && !isLoopbackHost(health.listen.host)) {
    throw new HostConfigError(
      `Configuration du serveur DMP invalide (${absolute}) : health.listen.host « ${health.listen.host} » n’est pas une adresse de bouclage (127.0.0.1 ou ::1). La réponse de santé est en HTTP clair et sans authentification : pour un équilibreur de charge sur une autre machine, ajoutez "allowRemote": true et réservez cette adresse au réseau d’administration.`,
    );
  }
  if (
    health &&
    health.listen.port !== 0 &&
    health.listen.port === parsed.data.listen.port &&
    (health.listen.host === parsed.data.listen.host ||
      isWildcardHost(health.listen.host) ||
      isWildcardHost(parsed.data.listen.host))
  ) {
    throw new HostConfigError(
      `Configuration du serveur DMP invalide (${absolute}) : health.listen.port ${health.listen.port} est déjà le port de l’API des postes (listen.port) : choisissez un autre port.`,
    );
  }
  // Calls and the workstations' status checks refuse an idle session at once; the sweep is what ends
  // it without one (its card chain dropped from memory, its end logged). Slower than the timeout, a
  // session would outlive it by more than the timeout itself.
  if (parsed.data.sessionSweepSeconds > parsed.data.professionalIdleMinutes * 60) {
    throw new HostConfigError(
      `Configuration du serveur DMP invalide (${absolute}) : sessionSweepSeconds (${parsed.data.sessionSweepSeconds} s) dépasse le délai d’inactivité professionalIdleMinutes (${parsed.data.professionalIdleMinutes} min, soit ${parsed.data.professionalIdleMinutes * 60} s) : le balayage des sessions doit passer au moins une fois par délai d’inactivité. Réduisez sessionSweepSeconds ou allongez professionalIdleMinutes.`,
    );
  }
  return resolvePaths(parsed.data, dirname(absolute));
}

/** The host's session timings from its configuration, in milliseconds (startDmpHost's options). */
export function hostSessionTiming(config: HostConfig): { professionalIdleMs: number; sweepEveryMs: number } {
  return {
    professionalIdleMs: config.professionalIdleMinutes * 60 * 1000,
    sweepEveryMs: config.sessionSweepSeconds * 1000,
  };
}

/** The PEM files the configuration names, read once at start; a missing one is named in French. */
export function readTlsFiles(config: HostConfig): {
  caPem: string;
  certPem: string;
  keyPem: string;
  professionalRootsPem: string[];
} {
  const read = (file: string, what: string): string => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new HostConfigError(`${what} introuvable ou illisible : ${file}`);
    }
    if (!/-----BEGIN [A-Z0-9 ]+-----/.test(text))
      throw new HostConfigError(`${what} : fichier PEM attendu (${file}).`);
    return text;
  };
  const caPem = read(config.tls.ca, 'Autorité de certification du déploiement (tls.ca)');
  return {
    caPem,
    certPem: read(config.tls.cert, 'Certificat du serveur (tls.cert)'),
    keyPem: read(config.tls.key, 'Clé privée du serveur (tls.key)'),
    professionalRootsPem: config.professionalRoots
      ? config.professionalRoots.map((f) => read(f, 'Racine des cartes professionnelles (professionalRoots)'))
      : [caPem],
  };
}

/**
 * The configuration an administrative command (`seal-existing`, `reextract`) runs on: `--config FILE`
 * or POSTE_DMP_HOST_CONFIG. Instead, the exit code when none is given (2: `usage` on stderr) or it
 * cannot be loaded (1: the French reason on stderr).
 */
export function configForCommand(
  args: string[],
  usage: string,
  stderr: (s: string) => void,
): HostConfig | 1 | 2 {
  let configFile: string | undefined;
  try {
    const { values } = parseArgs({ args, options: { config: { type: 'string' } }, strict: true });
    configFile = values.config ?? process.env.POSTE_DMP_HOST_CONFIG;
  } catch {
    configFile = undefined;
  }
  if (!configFile) {
    stderr(usage);
    return 2;
  }
  try {
    return loadHostConfig(configFile);
  } catch (err) {
    stderr(err instanceof HostConfigError ? err.message : `Configuration illisible : ${String(err)}`);
    return 1;
  }
}
