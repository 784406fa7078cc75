import { request } from 'node:http';
import { parseArgs } from 'node:util';
import { HostConfigError, loadHostConfig } from './config';
import { healthReportSchema, healthUrl, type HealthReport } from './health';

/**
 * `npm run host -- status --config FILE`: asks the running host's health listener (the `health`
 * section of FILE) and prints its answer in French. Exit 0 when the host is ready, 1 otherwise
 * (degraded, not ready, stopping, unreachable, no health listener configured), 2 bad usage.
 */
export const statusUsage = 'Usage : npm run host -- status --config FICHIER.json';

const statusWords: Record<HealthReport['status'], string> = {
  ready: 'prêt',
  degraded: 'en service, DÉGRADÉ (intervention nécessaire)',
  'not-ready': 'NON PRÊT (retiré de l’équilibreur de charge)',
  stopping: 'en cours d’arrêt',
};

const auditWords: Record<HealthReport['audit']['state'], string> = {
  pending: 'vérification complète en cours',
  ok: 'intègre',
  failed: 'ALTÉRÉ',
  unavailable: 'vérification impossible',
  'not-run':
    'pas de vérification en arrière-plan sur un dossier de données (vérification : npm run cli -- audit verify --data DOSSIER)',
};

/** « 3 h 05 min », « 42 s »: an age or uptime as an administrator reads it. */
export function frenchDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3_600);
  const minutes = Math.floor((s % 3_600) / 60);
  if (days > 0) return `${days} j ${hours} h`;
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} min`;
  if (minutes > 0) return `${minutes} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}

/** The report as the lines `status` prints. */
export function formatHealthReport(report: HealthReport): string[] {
  const lines = [
    `Serveur DMP : ${statusWords[report.status]} — version ${report.version}, en service depuis ${frenchDuration(report.uptimeSeconds)}`,
    report.database.ok
      ? `Base de données : répond (${report.database.latencyMs ?? '?'} ms)`
      : `Base de données : NE RÉPOND PAS — ${report.database.problem ?? 'raison inconnue'}`,
    `Journal d’audit : ${auditWords[report.audit.state]}${report.audit.summary ? ` — ${report.audit.summary}` : ''}`,
  ];
  const { revocation } = report;
  if (!revocation.configured) lines.push('Révocation : aucune liste (CRL) ni OCSP configuré');
  for (const crl of revocation.crls)
    lines.push(
      `Révocation, CRL de ${crl.issuer} : publiée il y a ${frenchDuration(crl.ageSeconds)}` +
        (crl.nextUpdate ? `, prochaine mise à jour ${crl.nextUpdate}` : '') +
        (crl.expired ? ' — EXPIRÉE : les postes et cartes de cette autorité sont refusés' : '') +
        (crl.signatureRejected
          ? ' — SIGNATURE REFUSÉE (liste non signée par cette autorité) : les postes et cartes de cette autorité sont refusés'
          : ''),
    );
  if (revocation.ocsp)
    lines.push(
      `Révocation, OCSP : ${revocation.ocsp.cachedAnswers} réponse(s) en cache` +
        (revocation.ocsp.oldestAnswerAgeSeconds === null
          ? ''
          : `, la plus ancienne reçue il y a ${frenchDuration(revocation.ocsp.oldestAnswerAgeSeconds)}`),
    );
  lines.push(`Sessions professionnelles ouvertes : ${report.professionalSessions}`);
  return lines;
}

/** GET `url`: the HTTP status and the body, or throws when nothing answers in `timeoutMs`. */
function fetchHealth(url: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        // A health answer is a few hundred bytes: anything far bigger is not this host's.
        if (size > 256 * 1024) req.destroy(new Error('réponse trop volumineuse'));
        else chunks.push(c);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`pas de réponse en ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
}

export async function statusCommand(
  args: string[],
  stdout: (s: string) => void,
  stderr: (s: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let configFile: string | undefined;
  try {
    const { values } = parseArgs({ args, options: { config: { type: 'string' } }, strict: true });
    configFile = values.config ?? env.POSTE_DMP_HOST_CONFIG;
  } catch (err) {
    stderr(`Arguments invalides : ${err instanceof Error ? err.message : ''}\n${statusUsage}`);
    return 2;
  }
  if (!configFile) {
    stderr(
      `Indiquez la configuration du serveur : --config FICHIER (ou POSTE_DMP_HOST_CONFIG).\n${statusUsage}`,
    );
    return 2;
  }
  let url: string;
  let timeoutMs: number;
  try {
    const config = loadHostConfig(configFile, env);
    if (!config.health || config.health.listen.port === 0) {
      stderr(
        `Aucune interface de santé à interroger dans ${configFile} : ajoutez "health": { "listen": { "host": "127.0.0.1", "port": 8081 } } (port fixe) et redémarrez le serveur (docs/host.md « Health and status »).`,
      );
      return 1;
    }
    url = healthUrl(config.health.listen);
    // The host bounds its own database query by databaseTimeoutMs; a margin for the rest.
    timeoutMs = config.health.databaseTimeoutMs + 5_000;
  } catch (err) {
    stderr(err instanceof HostConfigError ? err.message : `Configuration illisible : ${String(err)}`);
    return 1;
  }
  let answer: { status: number; body: string };
  try {
    answer = await fetchHealth(url, timeoutMs);
  } catch (err) {
    const code = (err as { code?: string }).code;
    stderr(
      `Serveur DMP injoignable sur ${url} : ${code === 'ECONNREFUSED' ? 'aucun serveur à l’écoute (arrêté ?)' : err instanceof Error ? err.message : String(err)}.`,
    );
    return 1;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    parsed = null;
  }
  const report = healthReportSchema.safeParse(parsed);
  if (!report.success) {
    stderr(
      `Réponse inattendue de ${url} (HTTP ${answer.status}) : ce n’est pas l’interface de santé d’un serveur DMP.`,
    );
    return 1;
  }
  stdout(formatHealthReport(report.data).join('\n'));
  return report.data.status === 'ready' ? 0 : 1;
}
