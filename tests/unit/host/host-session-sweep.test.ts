import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { hostSessionTiming, loadHostConfig } from '../../../src/main/host/config';
import { ProfessionalSessions } from '../../../src/main/host/professional-sessions';
import { writeHostConfigFile } from '../../support/host-config-file';
import { startTestHost } from '../../support/host-harness';
import { createHostTestPki, type HostTestPki } from '../../support/host-test-pki';

/**
 * `sessionSweepSeconds`: how often the host ends idle professional sessions and checks open
 * sessions' cards against the revocation data (server.ts), from host.json.
 */
describe('host configuration: the session sweep interval', () => {
  it('defaults to 30 s and accepts 5 to 600 s', () => {
    expect(loadHostConfig(writeHostConfigFile({}), {}).sessionSweepSeconds).toBe(30);
    for (const seconds of [5, 120, 600])
      expect(
        loadHostConfig(writeHostConfigFile({ sessionSweepSeconds: seconds, professionalIdleMinutes: 15 }), {})
          .sessionSweepSeconds,
      ).toBe(seconds);
  });

  it('refuses a value out of bounds, a fraction or a string, naming the field in French', () => {
    for (const sessionSweepSeconds of [0, 4, 601, 2.5, '30'])
      expect(() => loadHostConfig(writeHostConfigFile({ sessionSweepSeconds }), {})).toThrow(
        /^Configuration du serveur DMP invalide \(.*\) : champ « sessionSweepSeconds »/,
      );
  });

  it('refuses a sweep slower than the inactivity timeout, in French, and accepts one equal to it', () => {
    // The sweep ends idle sessions nobody calls on: every 90 s with a 1 min timeout, one would linger
    // (card chain in memory, its end logged late) for longer than the timeout itself.
    const slower = writeHostConfigFile({ professionalIdleMinutes: 1, sessionSweepSeconds: 90 });
    expect(() => loadHostConfig(slower, {})).toThrow(
      /^Configuration du serveur DMP invalide \(.*\) : sessionSweepSeconds \(90 s\) dépasse le délai d’inactivité professionalIdleMinutes \(1 min, soit 60 s\)/,
    );
    expect(
      loadHostConfig(writeHostConfigFile({ professionalIdleMinutes: 1, sessionSweepSeconds: 60 }), {})
        .sessionSweepSeconds,
    ).toBe(60);
  });

  it('gives the host its timings in milliseconds', () => {
    const config = loadHostConfig(
      writeHostConfigFile({ professionalIdleMinutes: 10, sessionSweepSeconds: 45 }),
      {},
    );
    expect(hostSessionTiming(config)).toEqual({ professionalIdleMs: 600_000, sweepEveryMs: 45_000 });
  });
});

describe('host: the sweep runs at the configured interval', () => {
  let pki: HostTestPki;
  beforeAll(async () => {
    pki = await createHostTestPki();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  /** A host started with host.json's timings, its interval timers faked (TLS and I/O stay real). */
  async function hostFrom(extra: Record<string, unknown>) {
    const timing = hostSessionTiming(loadHostConfig(writeHostConfigFile(extra), {}));
    const sweep = vi.spyOn(ProfessionalSessions.prototype, 'sweep');
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const host = await startTestHost(pki, {
      idleMs: timing.professionalIdleMs,
      sweepEveryMs: timing.sweepEveryMs,
    });
    return { host, sweep };
  }

  it('sweeps every sessionSweepSeconds, not before', async () => {
    const { host, sweep } = await hostFrom({ sessionSweepSeconds: 7 });
    try {
      vi.advanceTimersByTime(6_999);
      expect(sweep).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(sweep).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(7_000 * 3);
      expect(sweep).toHaveBeenCalledTimes(4);
    } finally {
      await host.close();
    }
  });

  it('sweeps every 30 s when host.json does not say', async () => {
    const { host, sweep } = await hostFrom({});
    try {
      vi.advanceTimersByTime(29_999);
      expect(sweep).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(sweep).toHaveBeenCalledTimes(1);
    } finally {
      await host.close();
    }
  });
});
