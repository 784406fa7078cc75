import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { buildApp, type App, type BuildOptions } from '../../../src/main/app/composition';
import { createLogger } from '../../../src/main/log/logger';
import { resourcesDir } from '../../../src/main/app/paths';
import type { EventName, ResponseEnvelope, SessionState } from '../../../src/shared/contract';

export const DEMO_INS = '279035121518989@1.2.250.1.213.1.4.10';
export const CPS_READER = 'Lecteur simulé CPS';
export const VITALE_READER = 'Lecteur simulé Vitale';

/** One app on a fresh data folder with simulated readers and the demo dossier; `stop()` cleans up. */
export async function startApp(
  extra: Partial<BuildOptions> = {},
): Promise<{ app: App; dataDir: string; logLines: string[]; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'poste-dmp-app-'));
  const logLines: string[] = [];
  const app = await buildApp({
    host: 'web',
    dataDir,
    simulation: true,
    production: false,
    key: { kind: 'file', path: join(dataDir, 'store.key') },
    log: createLogger({ sink: (l) => logLines.push(l), level: 'debug' }),
    seedFiles: [join(resourcesDir(), 'demo', 'VSM_1.4_2022.01.xml')],
    ...extra,
  });
  return {
    app,
    dataDir,
    logLines,
    async stop() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function call<T = unknown>(a: App, method: string, input: unknown = {}): Promise<T> {
  const response: ResponseEnvelope = await a.dispatch(method, input);
  if (!response.ok) throw Object.assign(new Error(response.error.message), { code: response.error.code });
  return response.value as T;
}

/** Resolves with the first event payload that satisfies `match` (events, not sleeps). */
export function nextEvent<T>(
  a: App,
  event: EventName,
  match: (payload: T) => boolean,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${event} event matched within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = a.bus.subscribe((name, payload) => {
      if (name === event && match(payload as T)) {
        clearTimeout(timer);
        off();
        resolve(payload as T);
      }
    });
  });
}

export const sessionWhere = (a: App, match: (s: SessionState) => boolean): Promise<SessionState> =>
  nextEvent<SessionState>(a, 'session.changed', match);

export async function authenticate(a: App, profileId: string): Promise<void> {
  const asked = sessionWhere(a, (s) => s.status === 'pin_required');
  await call(a, 'simulator.insert', { reader: CPS_READER, profileId });
  await asked;
  const result = await call<{ success: boolean }>(a, 'session.verifyPin', {
    reader: CPS_READER,
    pin: '1234',
  });
  expect(result.success).toBe(true);
  // A card with several practice situations asks for one after the PIN.
  const state = await call<SessionState>(a, 'session.get');
  if (state.status === 'situation_required') await call(a, 'session.selectSituation', { index: 0 });
}
