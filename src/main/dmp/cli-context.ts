import { ApiError } from '../../shared/contract';
import type { DmpService } from './dmp-service';

/** What the CLI dispatcher (src/main/cli/index.ts) hands to each command. */
export interface CliContext {
  out: (s: string) => void;
  err: (s: string) => void;
  openService: (storeDir: string) => Promise<{ service: DmpService; close(): Promise<void> }>;
  /** Used when `--store` is not given; without it `--store` is mandatory. */
  defaultStoreDir?: string;
}

export interface ParsedArgs {
  positional: string[];
  flags: Set<string>;
  storeDir: string | undefined;
}

export class UsageError extends Error {}

/** `--store DIR` plus boolean flags; anything else starting with `--` is refused rather than ignored. */
export function parseArgs(args: readonly string[], knownFlags: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const flags = new Set<string>();
  let storeDir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--store') {
      const value = args[++i];
      if (!value) throw new UsageError('Option --store : indiquez le dossier du stockage.');
      storeDir = value;
    } else if (arg.startsWith('--store=')) {
      storeDir = arg.slice('--store='.length);
    } else if (arg.startsWith('--')) {
      if (!knownFlags.includes(arg)) throw new UsageError(`Option inconnue : ${arg}`);
      flags.add(arg);
    } else positional.push(arg);
  }
  return { positional, flags, storeDir };
}

/** Opens the service, runs `body`, always closes; user-facing errors become French messages and exit 1. */
export async function withService(
  ctx: CliContext,
  storeDir: string | undefined,
  body: (service: DmpService) => Promise<number>,
): Promise<number> {
  const dir = storeDir ?? ctx.defaultStoreDir;
  if (!dir) {
    ctx.err('Indiquez le dossier du stockage avec --store DOSSIER.');
    return 2;
  }
  let opened: { service: DmpService; close(): Promise<void> };
  try {
    opened = await ctx.openService(dir);
  } catch (err) {
    ctx.err(`Impossible d’ouvrir le stockage : ${errorMessage(err)}`);
    return 1;
  }
  try {
    return await body(opened.service);
  } catch (err) {
    ctx.err(errorMessage(err));
    return 1;
  } finally {
    await opened.close();
  }
}

/** ApiError messages are written for users; anything else is an internal failure whose text may not be. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return 'Erreur interne inattendue (voir le journal technique).';
}
