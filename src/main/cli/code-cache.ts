import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { cachedDataVersionTag } from 'node:v8';
import { constants as vmConstants, Script } from 'node:vm';

/**
 * Runs a CommonJS bundle with a V8 code cache, as Node 22's module compile cache would; Node 20 has
 * none. A cold CLI command spends much of its start compiling the CLI's code: the cache holds the
 * compiled code of a previous run (its top level and every function that run compiled), so the
 * next one deserializes instead of compiling (docs/performance.md, CLI import).
 *
 * The bundle is written inside Node's CommonJS wrapper, `(function (exports, require, module,
 * __filename, __dirname) {…})` (scripts/node-bundle.mjs): its file is the source V8 compiles.
 * Wrapped here instead, the source would be two strings joined, which V8 copies into one before
 * compiling (2 MB of fresh memory for the CLI's bundle, ~5 ms of page faults on this VM).
 *
 * The cache is kept beside the bundle (`<bundle>.v8-cache`), or, when the bundle's folder is not
 * writable (an installation owned by another account), in a folder of the user's (`fallbackDir`).
 * Either place is writable only by who could already change what the CLI runs as that user: the
 * bundle's owner, or the user.
 *
 * The cache file: `PDMPJSC2`, V8's version-and-flags tag (`v8.cachedDataVersionTag()`, u32 big
 * endian), four zero bytes, the SHA-256 of the bundle file, then V8's data, at offset 48: V8 copies
 * data that is not 8-byte aligned before reading it (1 MB here). V8 itself checks only its version,
 * its flags and the source's *length*: the digest is what keeps a cache of another build of the
 * same length from running in place of this one. The data holds code and the constants written in
 * the source, no value computed at run time (tested).
 */
const magic = Buffer.from('PDMPJSC2', 'latin1');
const digestAt = magic.length + 8;
const headerBytes = digestAt + 32;

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
  /** Neither place could take it (the disk refused): the next run compiles. */
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

export interface CodeCacheOptions {
  /**
   * Where the cache goes when the bundle's own folder cannot take it (an installation its user
   * cannot write to): a folder of the user's, created 0700, one file per bundle path.
   */
  fallbackDir?: string;
}

/** Where the cache of `bundle` lives: beside it. */
export const codeCacheFile = (bundle: string): string => `${bundle}.v8-cache`;

/** The places a cache of `bundle` is looked for, and written to, in order. */
export function codeCacheFiles(bundle: string, options: CodeCacheOptions = {}): string[] {
  if (!options.fallbackDir) return [codeCacheFile(bundle)];
  const place = createHash('sha256').update(bundle).digest('hex').slice(0, 16);
  return [codeCacheFile(bundle), join(options.fallbackDir, `${basename(bundle)}-${place}.v8-cache`)];
}

type CommonJsBody = (
  exports: unknown,
  require: NodeJS.Require,
  module: { exports: unknown },
  filename: string,
  dirname: string,
) => void;

/**
 * Loads and runs the CommonJS file `bundle`, written inside Node's CommonJS wrapper (above): its top
 * level, synchronously, with its code cache.
 */
export function runWithCodeCache(bundle: string, options: CodeCacheOptions = {}): CodeCachedModule {
  const bytes = readFileSync(bundle);
  const digest = createHash('sha256').update(bytes).digest();
  const source = bytes.toString('utf8');
  const tag = cachedDataVersionTag();
  const cacheFiles = codeCacheFiles(bundle, options);
  // The one beside the bundle; the user's folder only when that one cannot be used (and then, if
  // neither can, what was wrong with the one beside the bundle).
  let found = readCodeCache(codeCacheFile(bundle), digest, tag);
  for (const file of cacheFiles.slice(1)) {
    if (found.data) break;
    const other = readCodeCache(file, digest, tag);
    if (other.data) found = other;
  }
  const script = new Script(source, {
    filename: bundle,
    ...(found.data ? { cachedData: found.data } : {}),
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const cache: CodeCacheState = found.data && script.cachedDataRejected === true ? 'damaged' : found.state;
  const module = { exports: {} as unknown };
  const body: unknown = script.runInThisContext();
  if (!isCommonJsBody(body)) throw new Error(`${bundle} is not written inside Node's CommonJS wrapper`);
  body.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  return {
    exports: module.exports,
    cache,
    saveCache: () => (cache === 'used' ? 'kept' : writeCodeCache(script, cacheFiles, digest, tag)),
  };
}

function isCommonJsBody(value: unknown): value is CommonJsBody {
  return typeof value === 'function' && value.length === 5;
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
  if (!bytes.subarray(digestAt, headerBytes).equals(digest)) return { state: 'other-source' };
  return { state: 'used', data: bytes.subarray(headerBytes) };
}

function writeCodeCache(script: Script, cacheFiles: string[], digest: Buffer, tag: number): CodeCacheSave {
  // V8 folds its flags into the tag: a flag set since the compile would make the cache useless.
  if (cachedDataVersionTag() !== tag) return 'flags-changed';
  const header = Buffer.alloc(headerBytes);
  magic.copy(header);
  header.writeUInt32BE(tag, magic.length);
  digest.copy(header, digestAt);
  const contents = Buffer.concat([header, script.createCachedData()]);
  for (const [i, cacheFile] of cacheFiles.entries()) {
    // Written aside, then renamed: two commands finishing together each leave a whole file.
    const temp = `${cacheFile}.${process.pid}.tmp`;
    try {
      if (i > 0) mkdirSync(dirname(cacheFile), { recursive: true, mode: 0o700 });
      writeFileSync(temp, contents);
      renameSync(temp, cacheFile);
      return 'written';
    } catch {
      removeQuietly(temp);
    }
  }
  return 'failed';
}

/** Removes a temporary file that may not exist, whose folder may not either: never throws. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Nothing was written there.
  }
}
