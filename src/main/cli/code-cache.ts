import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { cachedDataVersionTag } from 'node:v8';
import { constants as vmConstants, Script } from 'node:vm';

/**
 * Runs a CommonJS bundle with a V8 code cache kept beside it (`<bundle>.v8-cache`), as Node 22's
 * module compile cache would; Node 20 has none. A cold CLI command spends much of its start
 * compiling the CLI's code: the cache holds the compiled code of a previous run (its top level and
 * every function that run compiled), so the next one deserializes instead of compiling
 * (docs/performance.md, CLI import).
 *
 * The cache file: `PDMPJSC1`, V8's version-and-flags tag (`v8.cachedDataVersionTag()`, u32 big
 * endian), the SHA-256 of the bundle file, then V8's data. V8 itself checks only its version,
 * its flags and the source's *length*: the digest is what keeps a cache of another build of the
 * same length from running in place of this one. The data holds code and the constants written in
 * the source, no value computed at run time (tested). Anyone who can write the cache can write the
 * bundle beside it.
 */
const magic = Buffer.from('PDMPJSC1', 'latin1');
const headerBytes = magic.length + 4 + 32;

/** What became of the cache at load: used, or why the bundle was compiled from its source. */
export type CodeCacheState =
  | 'used'
  | 'absent'
  /** Written for another build of the bundle. */
  | 'other-source'
  /** Written by another Node version, or under other V8 flags. */
  | 'other-v8'
  /** Unreadable, too short, or refused by V8 on a check of its own. */
  | 'damaged';

export type CodeCacheSave =
  /** This run used the cache: nothing to add. */
  | 'kept'
  | 'written'
  /** V8 flags changed after the compile: a cache written now would be refused by the next run. */
  | 'flags-changed'
  /** The folder is not writable (a read-only install), or the disk refused: the next run compiles. */
  | 'failed';

export interface CodeCachedModule {
  /** The bundle's `module.exports`. */
  exports: unknown;
  cache: CodeCacheState;
  /**
   * Writes the cache for the next run when this one could not use one; call it at exit, once the
   * command has run, so that the functions it compiled are in. Never throws.
   */
  saveCache(): CodeCacheSave;
}

/** Where the cache of `bundle` lives. */
export const codeCacheFile = (bundle: string): string => `${bundle}.v8-cache`;

type CommonJsBody = (
  exports: unknown,
  require: NodeJS.Require,
  module: { exports: unknown },
  filename: string,
  dirname: string,
) => void;

/** Loads and runs the CommonJS file `bundle` (its top level, synchronously), with its code cache. */
export function runWithCodeCache(bundle: string): CodeCachedModule {
  const bytes = readFileSync(bundle);
  const digest = createHash('sha256').update(bytes).digest();
  const source = bytes.toString('utf8');
  const tag = cachedDataVersionTag();
  const cacheFile = codeCacheFile(bundle);
  const found = readCodeCache(cacheFile, digest, tag);
  // Node's CommonJS wrapper, on a line of its own that `lineOffset` hides: the lines and columns of
  // stack traces are the bundle's, as its source map expects.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {\n${source}\n})`, {
    filename: bundle,
    lineOffset: -1,
    ...(found.data ? { cachedData: found.data } : {}),
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const cache: CodeCacheState = found.data && script.cachedDataRejected === true ? 'damaged' : found.state;
  const module = { exports: {} as unknown };
  const body = script.runInThisContext() as CommonJsBody;
  body.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  return {
    exports: module.exports,
    cache,
    saveCache: () => (cache === 'used' ? 'kept' : writeCodeCache(script, cacheFile, digest, tag)),
  };
}

function readCodeCache(
  cacheFile: string,
  digest: Buffer,
  tag: number,
): { state: CodeCacheState; data?: Buffer } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(cacheFile);
  } catch (err) {
    return { state: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : 'damaged' };
  }
  if (bytes.length <= headerBytes || !bytes.subarray(0, magic.length).equals(magic))
    return { state: 'damaged' };
  if (bytes.readUInt32BE(magic.length) !== tag) return { state: 'other-v8' };
  if (!bytes.subarray(magic.length + 4, headerBytes).equals(digest)) return { state: 'other-source' };
  return { state: 'used', data: bytes.subarray(headerBytes) };
}

function writeCodeCache(script: Script, cacheFile: string, digest: Buffer, tag: number): CodeCacheSave {
  // V8 folds its flags into the tag: a flag set since the compile would make the cache useless.
  if (cachedDataVersionTag() !== tag) return 'flags-changed';
  const header = Buffer.alloc(headerBytes);
  magic.copy(header);
  header.writeUInt32BE(tag, magic.length);
  digest.copy(header, magic.length + 4);
  // Written aside, then renamed: two commands finishing together each leave a whole file.
  const temp = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, Buffer.concat([header, script.createCachedData()]));
    renameSync(temp, cacheFile);
    return 'written';
  } catch {
    rmSync(temp, { force: true });
    return 'failed';
  }
}
