import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { buildApp, type App, type BuildOptions } from '../../../src/main/app/composition';
import { createLogger } from '../../../src/main/log/logger';
import { resourcesDir } from '../../../src/main/app/paths';
import type { SessionState } from '../../../src/shared/contract';
import { call, sessionWhere } from './app-calls';

export { call, nextEvent, sessionWhere } from './app-calls';

export const DEMO_INS = '279035121518989@1.2.250.1.213.1.4.10';
export const CPS_READER = 'Lecteur simulé CPS';
export const VITALE_READER = 'Lecteur simulé Vitale';

/**
 * One app with simulated readers and the demo dossier, on a fresh data folder unless `extra.dataDir`
 * names one; `stop()` closes it and removes the folder.
 */
export async function startApp(
  extra: Partial<BuildOptions> = {},
): Promise<{ app: App; dataDir: string; logLines: string[]; stop(): Promise<void> }> {
  const dataDir = extra.dataDir ?? mkdtempSync(join(tmpdir(), 'poste-dmp-app-'));
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
