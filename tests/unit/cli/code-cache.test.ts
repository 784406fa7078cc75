import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachedDataVersionTag } from 'node:v8';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codeCacheFile, codeCacheFiles, runWithCodeCache } from '../../../src/main/cli/code-cache';

/**
 * The cache file's layout, restated from code-cache.ts's documentation: V8's data 8-byte aligned
 * (V8 copies it first otherwise).
 */
const layout = { magic: 'PDMPJSC2', tagAt: 8, digestAt: 16, dataAt: 48 };

let dir: string;
let bundle: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'poste-dmp-code-cache-'));
  bundle = join(dir, 'bundle.cjs');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A CommonJS bundle, written inside Node's CommonJS wrapper as scripts/node-bundle.mjs writes them,
 * whose `version()` returns `version`; every version has the same length.
 */
function writeBundle(version: string): void {
  writeFileSync(
    bundle,
    `(function (exports, require, module, __filename, __dirname) {'use strict';\n` +
      `const { join } = require('node:path');\n` +
      `exports.version = function version() { return ${JSON.stringify(version)}; };\n` +
      `exports.where = function where() { return join(__dirname, 'x') === join(${JSON.stringify(dir)}, 'x'); };\n` +
      `exports.greet = function greet(name) { return ['Bonjour', name].join(' '); };\n})`,
  );
}

interface Exports {
  version(): string;
  where(): boolean;
  greet(name: string): string;
}
const exportsOf = (loaded: { exports: unknown }): Exports => loaded.exports as Exports;

describe('runWithCodeCache', () => {
  it('runs a CommonJS bundle, writes its cache once it has run, and the next run uses it', () => {
    writeBundle('v1');
    const first = runWithCodeCache(bundle);
    expect(first.cache).toBe('absent');
    expect(exportsOf(first).version()).toBe('v1');
    expect(exportsOf(first).where()).toBe(true);
    expect(first.saveCache()).toBe('written');

    const bytes = readFileSync(codeCacheFile(bundle));
    expect(bytes.subarray(0, layout.tagAt).toString('latin1')).toBe(layout.magic);
    expect(bytes.readUInt32BE(layout.tagAt)).toBe(cachedDataVersionTag());
    expect(bytes.subarray(layout.digestAt, layout.dataAt)).toEqual(
      createHash('sha256').update(readFileSync(bundle)).digest(),
    );
    expect(bytes.length).toBeGreaterThan(layout.dataAt);

    const second = runWithCodeCache(bundle);
    expect(second.cache).toBe('used');
    expect(exportsOf(second).version()).toBe('v1');
    expect(second.saveCache()).toBe('kept');
    expect(readdirSync(dir).sort()).toEqual(['bundle.cjs', 'bundle.cjs.v8-cache']);
  });

  it('refuses a file not written inside the CommonJS wrapper', () => {
    // Its top level is a statement, not the wrapper's function: nothing to call with a module.
    writeFileSync(bundle, `'use strict';\nconst version = () => 'v1';\nversion;\n`);
    expect(() => runWithCodeCache(bundle)).toThrow(/not written inside Node's CommonJS wrapper/);
  });

  it('never runs the cache of another build, even of the same length (V8 checks only the length)', () => {
    writeBundle('v1');
    expect(runWithCodeCache(bundle).saveCache()).toBe('written');
    writeBundle('v2');
    const rebuilt = runWithCodeCache(bundle);
    expect(rebuilt.cache).toBe('other-source');
    expect(exportsOf(rebuilt).version()).toBe('v2');
    // The new build's cache replaces the old one.
    expect(rebuilt.saveCache()).toBe('written');
    expect(runWithCodeCache(bundle).cache).toBe('used');
  });

  it('compiles from source when the cache is damaged, or written by another V8 or under other flags', () => {
    writeBundle('v1');
    runWithCodeCache(bundle).saveCache();
    const good = readFileSync(codeCacheFile(bundle));

    const otherV8 = Buffer.from(good);
    otherV8.writeUInt32BE((cachedDataVersionTag() + 1) >>> 0, layout.tagAt);
    writeFileSync(codeCacheFile(bundle), otherV8);
    expect(runWithCodeCache(bundle).cache).toBe('other-v8');

    const damaged: [string, Buffer][] = [
      ['truncated header', good.subarray(0, 20)],
      ['no magic', Buffer.concat([Buffer.from('XXXXXXXX'), good.subarray(8)])],
    ];
    for (const [what, bytes] of damaged) {
      writeFileSync(codeCacheFile(bundle), bytes);
      const loaded = runWithCodeCache(bundle);
      expect(loaded.cache, what).toBe('damaged');
      expect(exportsOf(loaded).version(), what).toBe('v1');
      expect(loaded.saveCache(), what).toBe('written');
    }
    expect(runWithCodeCache(bundle).cache).toBe('used');

    // Header right, V8's data garbage: V8's own checks refuse it. (A build this process never
    // compiled: V8 consults cached data only when its in-memory cache misses.)
    writeBundle('v9');
    const header = Buffer.from(good.subarray(0, layout.dataAt));
    createHash('sha256').update(readFileSync(bundle)).digest().copy(header, layout.digestAt);
    writeFileSync(codeCacheFile(bundle), Buffer.concat([header, Buffer.alloc(4096, 0x5a)]));
    const loaded = runWithCodeCache(bundle);
    expect(loaded.cache).toBe('damaged');
    expect(exportsOf(loaded).version()).toBe('v9');
  });

  it('goes to the user’s folder (0700) when the bundle’s cannot take it, and is used from there', () => {
    writeBundle('v1');
    // A directory where the cache should go: the rename fails whatever the process's rights.
    mkdirSync(join(codeCacheFile(bundle), 'occupied'), { recursive: true });
    const fallbackDir = join(dir, 'user-cache', 'cli');
    const first = runWithCodeCache(bundle, { fallbackDir });
    expect(first.saveCache()).toBe('written');
    expect(statSync(fallbackDir).mode & 0o777).toBe(0o700);
    const [, inUserFolder] = codeCacheFiles(bundle, { fallbackDir });
    expect(readdirSync(fallbackDir)).toEqual([basename(inUserFolder!)]);
    // Named after the bundle's path: two installations do not take turns rewriting one file.
    expect(codeCacheFiles(join(dir, 'other', 'bundle.cjs'), { fallbackDir })[1]).not.toBe(inUserFolder);

    const second = runWithCodeCache(bundle, { fallbackDir });
    expect(second.cache).toBe('used');
    expect(exportsOf(second).version()).toBe('v1');
    expect(second.saveCache()).toBe('kept');
  });

  it('a cache it cannot write anywhere is no failure, and leaves no temporary file', () => {
    writeBundle('v1');
    mkdirSync(join(codeCacheFile(bundle), 'occupied'), { recursive: true });
    // The user's folder cannot be created either: a file is in the way.
    writeFileSync(join(dir, 'user-cache'), '');
    const loaded = runWithCodeCache(bundle, { fallbackDir: join(dir, 'user-cache', 'cli') });
    expect(exportsOf(loaded).greet('Mme Martin')).toBe('Bonjour Mme Martin');
    expect(loaded.saveCache()).toBe('failed');
    expect(readdirSync(dir).sort()).toEqual(['bundle.cjs', 'bundle.cjs.v8-cache', 'user-cache']);
  });

  it('holds compiled code only: no value the bundle computed while it ran', () => {
    writeBundle('v1');
    const loaded = runWithCodeCache(bundle);
    const computed = exportsOf(loaded).greet(`patient-${process.pid}-269054958815780`);
    expect(loaded.saveCache()).toBe('written');
    const bytes = readFileSync(codeCacheFile(bundle));
    expect(bytes.includes(Buffer.from(computed))).toBe(false);
    expect(bytes.includes(Buffer.from('269054958815780'))).toBe(false);
  });

  it('writes no cache when V8 flags changed after the compile (the next run would refuse it)', () => {
    writeBundle('v1');
    // In a process of its own: V8 flags are per process.
    const moduleUrl = new URL('../../../src/main/cli/code-cache.ts', import.meta.url).href;
    const script = `
      import { setFlagsFromString } from 'node:v8';
      const { runWithCodeCache } = await import(${JSON.stringify(moduleUrl)});
      const loaded = runWithCodeCache(${JSON.stringify(bundle)});
      setFlagsFromString('--liftoff-only');
      process.stdout.write(loaded.saveCache());`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../../../', import.meta.url)),
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('flags-changed');
    expect(existsSync(codeCacheFile(bundle))).toBe(false);
  });
});
