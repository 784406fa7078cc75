import { parseArgs, type ParseArgsConfig } from 'node:util';
import { toApiError } from '../app/user-messages';
import type { DataFolderDmp, DataFolderDmpRequest } from '../app/data-folder-dmp';

/** Exit codes of every command: 0 done, 1 refused or failed, 2 bad usage (nothing was opened). */
export const exitCode = { ok: 0, failed: 1, usage: 2 } as const;

/** What the CLI dispatcher (index.ts) hands to each command. */
export interface CliContext {
  out: (s: string) => void;
  /** Errors, warnings and recovery notices: stderr. */
  err: (s: string) => void;
  /** Opens the DMP service on a data folder (openDataFolderDmp); notices already went to `err`. */
  open(request: DataFolderDmpRequest): Promise<DataFolderDmp>;
  /** Used when `--data` is not given. */
  defaultDataDir: string;
}

/** A command's line on stdout (a newline added when missing). */
export const printOut = (s: string): void => void process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
/** The same on stderr: errors, warnings and recovery notices. */
export const printErr = (s: string): void => void process.stderr.write(s.endsWith('\n') ? s : `${s}\n`);

export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** The options every store command takes. `store` is only declared to be refused with a hint. */
export const dataOptions = {
  data: { type: 'string' },
  wait: { type: 'string' },
  store: { type: 'string' },
} as const satisfies Options;

/** `--wait` alone waits this long. */
export const defaultWaitSeconds = 600;
const maxWaitSeconds = 86_400;

/**
 * `--wait` takes an optional number of seconds, which `parseArgs` cannot express: a following
 * argument that is a plausible number of seconds is its value, anything else (a file, a 15-digit
 * INS) is left alone and `--wait` gets the default.
 */
function normaliseWait(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg !== '--wait') {
      out.push(arg);
      continue;
    }
    const next = args[i + 1];
    if (next !== undefined && /^\d+(\.\d+)?$/.test(next) && Number(next) <= maxWaitSeconds) {
      out.push(`--wait=${next}`);
      i++;
    } else out.push(`--wait=${defaultWaitSeconds}`);
  }
  return out;
}

/** `node:util` parseArgs, strict, with its English errors turned into French usage errors. */
export function parseCommandArgs<T extends Options>(
  args: readonly string[],
  options: T,
): {
  values: ReturnType<typeof parseArgs<{ options: T; allowPositionals: true; strict: true }>>['values'];
  positionals: string[];
} {
  try {
    const { values, positionals } = parseArgs({
      args: normaliseWait(args),
      options,
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals };
  } catch (err) {
    throw new UsageError(frenchParseError(err));
  }
}

function frenchParseError(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : '';
  const option = /'(-[^'\s]*)/.exec(message)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Option inconnue : ${option || message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `Option ${option} : ${/argument missing/.test(message) ? 'valeur manquante' : 'cette option ne prend pas de valeur'}.`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Argument inattendu : ${/'([^']*)'/.exec(message)?.[1] ?? message}`;
    default:
      return 'Arguments invalides.';
  }
}

/** `--data`, `--wait` (and the refused `--store`) turned into an open request. */
export function openRequest(
  values: { data?: string | undefined; wait?: string | undefined; store?: string | undefined },
  ctx: Pick<CliContext, 'defaultDataDir'>,
  readOnly: boolean,
): DataFolderDmpRequest {
  if (values.store !== undefined) {
    throw new UsageError(
      `L’option --store n’existe plus : indiquez le dossier de données avec --data DOSSIER ` +
        `(le dossier qui contient « store/ » et « store.key », comme pour le mode navigateur).`,
    );
  }
  if (values.data === '') throw new UsageError('Option --data : indiquez le dossier de données.');
  let waitMs: number | null = null;
  if (values.wait !== undefined) {
    const seconds = Number(values.wait);
    if (!/^\d+(\.\d+)?$/.test(values.wait) || seconds > maxWaitSeconds) {
      throw new UsageError(`Option --wait : durée en secondes attendue (0 à ${maxWaitSeconds}).`);
    }
    waitMs = Math.round(seconds * 1000);
  }
  return { dataDir: values.data ?? ctx.defaultDataDir, readOnly, waitMs };
}

/**
 * Parses, reports usage errors (exit 2, with the command's usage), then runs the command. Every
 * command goes through here, so every usage error looks the same.
 */
export async function runCommand<T extends Options, R extends number | null = number>(
  ctx: Pick<CliContext, 'err'>,
  args: readonly string[],
  options: T,
  usage: string,
  body: (parsed: ReturnType<typeof parseCommandArgs<T>>) => Promise<R>,
): Promise<R | number> {
  let parsed: ReturnType<typeof parseCommandArgs<T>>;
  try {
    parsed = parseCommandArgs(args, options);
  } catch (err) {
    ctx.err(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
    return exitCode.usage;
  }
  try {
    return await body(parsed);
  } catch (err) {
    if (err instanceof UsageError) {
      ctx.err(`${err.message}\n${usage}`);
      return exitCode.usage;
    }
    throw err;
  }
}

/** Opens the service, runs `body`, always closes; user-facing errors become French messages and exit 1. */
export async function withService(
  ctx: CliContext,
  request: DataFolderDmpRequest,
  body: (opened: DataFolderDmp) => Promise<number>,
): Promise<number> {
  let opened: DataFolderDmp;
  try {
    opened = await ctx.open(request);
  } catch (err) {
    ctx.err(`Impossible d’ouvrir les données : ${errorMessage(err)}`);
    if (toApiError(err)?.code === 'LOCKED' && request.waitMs === null) {
      ctx.err('Pour attendre qu’elle se libère, relancez avec --wait [secondes].');
    }
    return exitCode.failed;
  }
  try {
    return await body(opened);
  } catch (err) {
    ctx.err(errorMessage(err));
    return exitCode.failed;
  } finally {
    await opened.close();
  }
}

/**
 * ApiError messages are written for users, store errors are worded by user-messages.ts; anything
 * else is an internal failure whose text may not be.
 */
export function errorMessage(err: unknown): string {
  const api = toApiError(err);
  if (api) return api.message;
  return 'Erreur interne inattendue (voir le journal technique).';
}
