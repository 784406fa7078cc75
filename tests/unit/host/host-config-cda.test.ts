import { describe, expect, it } from 'vitest';
import { loadHostConfig } from '../../../src/main/host/config';
import { writeHostConfigFile } from '../../support/host-config-file';

describe('host configuration: CDA parsing pool', () => {
  it('defaults the queue and the time budget, leaves the worker count to the machine', () => {
    expect(loadHostConfig(writeHostConfigFile({}), {}).cdaParsing).toEqual({
      maxQueued: 64,
      timeoutSeconds: 30,
    });
    expect(
      loadHostConfig(writeHostConfigFile({ cdaParsing: { workers: 3, timeoutSeconds: 10 } }), {}).cdaParsing,
    ).toEqual({ workers: 3, maxQueued: 64, timeoutSeconds: 10 });
  });

  it('refuses no worker, a fraction, or an unknown field, in French', () => {
    for (const cdaParsing of [{ workers: 0 }, { workers: 1.5 }, { timeoutSeconds: 0 }, { worker: 2 }])
      expect(() => loadHostConfig(writeHostConfigFile({ cdaParsing }), {})).toThrow(
        /Configuration du serveur DMP invalide/,
      );
  });
});
