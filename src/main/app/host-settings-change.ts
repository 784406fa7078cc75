import { readFileSync, rmSync } from 'node:fs';
import { ApiError, type HostSettings } from '../../shared/contract';
import type {
  HostSettingsChange,
  HostSettingsRefusalCause,
  HostSettingsTrail,
} from '../audit/security-events';
import type { DmpActor } from '../dmp/actors';
import type { Logger } from '../log/logger';
import type { SessionService } from '../session/session-service';
import { SerialQueue } from '../concurrency/serial-queue';
import { isErrno, writeFileDurably } from '../store/durable-fs';
import { hostSettingsInEffect, isManaged, writeHostSettings, type HostSettingsSource } from './host-settings';
import { dataLayout } from './paths';

export interface HostSettingsChangeDeps {
  source: HostSettingsSource;
  session: Pick<SessionService, 'get' | 'actor'>;
  /**
   * The audit chain: the embedded store's, or on a workstation using the shared host the host's
   * (`settings.recordHostChange`). Null: none (the change is in the log only).
   */
  trail: HostSettingsTrail | null;
  log: Logger;
}

/** What `settings.saveHost` answers when it refuses, in French: the one table of these messages. */
export const hostSettingsRefusals = {
  managed:
    'Ces réglages sont gérés par votre service informatique : ils ne peuvent pas être modifiés depuis ce poste.',
  notAuthenticated:
    'Modifier le serveur DMP du poste exige une carte professionnelle authentifiée : insérez votre carte et saisissez votre code.',
  /** The change could not be traced, so it was undone: named after whose audit chain failed. */
  notTraced: {
    workstation:
      'Réglages du serveur DMP non enregistrés : le journal d’audit du poste n’a pas pu les tracer. Réessayez.',
    host: 'Réglages du serveur DMP non enregistrés : le serveur DMP partagé n’a pas pu les tracer dans son journal d’audit. Vérifiez la connexion au serveur DMP et réessayez.',
  },
  /** The current file could not be kept aside, so a failed trace could not be undone: nothing is written. */
  previousUnreadable:
    'Réglages du serveur DMP non enregistrés : le fichier des réglages actuels ne peut pas être lu. Faites vérifier ce fichier et ses droits par votre service informatique.',
} as const satisfies Record<string, string | Record<HostSettingsTrail['whose'], string>>;

/**
 * `settings.saveHost`: which DMP host the workstation talks to, and with which certificate files, is
 * changed only by an authenticated professional (card + PIN), never when IT manages the settings,
 * and every change or refused attempt leaves a log line and an audit entry naming who, the old and
 * the new host URL. Applied at the next start, as before (switching DMP under an open session would
 * mix two DMPs' data).
 */
export function saveHostSettingsAs(
  deps: HostSettingsChangeDeps,
  settings: HostSettings | null,
): Promise<{ saved: HostSettings | null; file: string; appliesAtRestart: true }> {
  const file = dataLayout(deps.source.dataDir).hostSettingsFile;
  let queue = savesOf.get(file);
  if (!queue) savesOf.set(file, (queue = new SerialQueue()));
  return queue.run(() => save(deps, settings, file));
}

/**
 * One save at a time per settings file: a save keeps the file it replaces to put it back if the
 * change cannot be traced, so two interleaved saves could put back each other's file and leave one
 * that the audit trail says was replaced.
 */
const savesOf = new Map<string, SerialQueue>();

async function save(
  deps: HostSettingsChangeDeps,
  settings: HostSettings | null,
  file: string,
): Promise<{ saved: HostSettings | null; file: string; appliesAtRestart: true }> {
  const { source, session, log } = deps;
  const oldUrl = currentUrl(source);
  const newUrl = settings?.url ?? null;
  const authenticated = session.get().status === 'authenticated';
  const actor: DmpActor | null = authenticated ? session.actor('normal') : null;

  const refuse = async (cause: HostSettingsRefusalCause, error: ApiError): Promise<never> => {
    log.warn('host settings change refused', {
      cause,
      actor: actor?.professional.holder.nationalId ?? '-',
      from: oldUrl ?? 'embedded',
      to: newUrl ?? 'embedded',
    });
    await record(deps, { outcome: 'refused', cause, actor, oldUrl, newUrl }).catch(() => undefined);
    throw error;
  };
  if (isManaged(source)) return refuse('managed', new ApiError('FORBIDDEN', hostSettingsRefusals.managed));
  if (!actor)
    return refuse('not-authenticated', new ApiError('LOCKED', hostSettingsRefusals.notAuthenticated));

  let before: Uint8Array | null;
  try {
    before = previousBytes(file);
  } catch (err) {
    log.error('host settings change not made: current settings file unreadable', {
      file,
      detail: err instanceof Error ? err.message : 'unknown',
    });
    throw new ApiError('UNAVAILABLE', hostSettingsRefusals.previousUnreadable);
  }
  const saved = writeHostSettings(source.dataDir, settings);
  try {
    await record(deps, { outcome: 'saved', actor, oldUrl, newUrl: saved?.url ?? null });
  } catch {
    // A change nobody could trace is not kept: the previous file is put back.
    if (before === null) rmSync(file, { force: true });
    else writeFileDurably(file, before);
    throw new ApiError('UNAVAILABLE', hostSettingsRefusals.notTraced[deps.trail?.whose ?? 'workstation']);
  }
  log.info('host settings saved for the next start', {
    actor: actor.professional.holder.nationalId,
    from: oldUrl ?? 'embedded',
    to: saved?.url ?? 'embedded',
  });
  return { saved, file, appliesAtRestart: true };
}

/** Records in the trail, when there is one; a failure is logged and rethrown. */
async function record(deps: HostSettingsChangeDeps, change: HostSettingsChange): Promise<void> {
  if (!deps.trail) return;
  try {
    await deps.trail.record(change);
  } catch (err) {
    deps.log.error('host settings audit entry not written', {
      detail: err instanceof Error ? err.message : 'unknown',
    });
    throw err;
  }
}

/**
 * The host URL in effect now — IT's managed file when there is one, else the data folder's — so a
 * refused change names what the workstation really uses; a damaged file (which a change may be
 * repairing) is named as such.
 */
function currentUrl(source: HostSettingsSource): string | null {
  try {
    return hostSettingsInEffect(source).saved?.url ?? null;
  } catch {
    return 'unreadable';
  }
}

function previousBytes(file: string): Uint8Array | null {
  try {
    return readFileSync(file);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return null;
    throw err;
  }
}
