import { describe, expect, it, vi } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import type { Configuration } from 'electron-builder';

/**
 * `npm run package` cannot run here (no Electron binary): the configuration itself is what is
 * tested — targets, native rebuild, the afterPack hook and every fuse value it writes.
 */
const flipped = vi.hoisted(() => [] as { binary: string; config: Record<string | number, unknown> }[]);
vi.mock('@electron/fuses', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@electron/fuses')>()),
  flipFuses: async (binary: string, config: Record<string | number, unknown>) => {
    flipped.push({ binary, config });
    return 0;
  },
}));

const root = process.cwd();
const load = async <T>(file: string): Promise<T> => (await import(pathToFileURL(join(root, file)).href)) as T;

describe('packaging configuration', () => {
  it('builds a .deb and an AppImage, rebuilds pcsclite for Electron, packs into an ASAR', async () => {
    const { default: config } = await load<{ default: Configuration }>('electron-builder.config.mjs');
    expect(config.linux?.target).toEqual(['deb', 'AppImage']);
    expect(config.npmRebuild).toBe(true);
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.deb?.depends).toEqual(expect.arrayContaining(['pcscd', 'libpcsclite1']));
    expect(config.files).toContain('!resources/cards/**');
    // The Electron app's own bundles only: not the CLI's or the DMP host's (plain node, with the
    // CLI's V8 code cache written beside it on the build machine).
    const files = config.files as string[];
    expect(files).toEqual(expect.arrayContaining(['out/main/**', 'out/preload/**', 'out/renderer/**']));
    expect(
      files.filter(
        (pattern) => pattern.startsWith('out/') && !/^out\/(main|preload|renderer)\//.test(pattern),
      ),
    ).toEqual([]);
    // Fuses are flipped by our own hook, not a second time by electron-builder.
    expect(config.electronFuses ?? null).toBeNull();
    expect(typeof config.afterPack).toBe('string');
    expect(existsSync(join(root, config.afterPack as string))).toBe(true);
  });

  it('the afterPack hook flips every fuse as required in the packed Linux binary', async () => {
    const { default: config } = await load<{ default: Configuration }>('electron-builder.config.mjs');
    const { default: afterPack } = await load<{ default: (context: unknown) => Promise<string> }>(
      config.afterPack as string,
    );
    await afterPack({
      appOutDir: '/tmp/pack/linux-unpacked',
      electronPlatformName: 'linux',
      packager: { executableName: 'poste-dmp' },
    });
    expect(flipped).toHaveLength(1);
    expect(flipped[0]!.binary).toBe('/tmp/pack/linux-unpacked/poste-dmp');
    const fuses = flipped[0]!.config;
    expect(fuses.version).toBe(FuseVersion.V1);
    expect(fuses[FuseV1Options.RunAsNode]).toBe(false);
    expect(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(fuses[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(fuses[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(fuses[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(fuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    await expect(
      afterPack({ appOutDir: '/tmp/x', electronPlatformName: 'win32', packager: { executableName: 'x' } }),
    ).rejects.toThrow(/Linux/);
  });

  it('a packaging build (POSTE_DMP_PACKAGE=1) defines the simulator switch off', async () => {
    process.env.POSTE_DMP_PACKAGE = '1';
    vi.resetModules();
    const { simulatorInBuild } = await import('../../../electron.vite.config');
    delete process.env.POSTE_DMP_PACKAGE;
    expect(simulatorInBuild).toBe(false);
  });
});
