import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sqlWasmEagerFunctions } from '../../../src/main/store/sql-wasm-eager-functions';
import { compileSqlWasm, sqlWasmFile } from '../../../src/main/store/sql-wasm';
import {
  definedFunctionCount,
  readWithCompilationHints,
  withCompilationHints,
} from '../../../src/main/store/wasm-compilation-hints';

/**
 * A module written by hand: one imported function, then three defined ones (function indices 1, 2
 * and 3) returning 10, 20 and 30, exported as `a`, `b` and `c`.
 */
const section = (id: number, bytes: number[]): number[] => [id, bytes.length, ...bytes];
const body = (value: number): number[] => [4, 0x00, 0x41, value, 0x0b];
const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const beforeCode = [
  ...header,
  ...section(1, [1, 0x60, 0, 1, 0x7f]),
  ...section(2, [1, 1, 0x6d, 1, 0x66, 0x00, 0]),
  ...section(3, [3, 0, 0, 0]),
  ...section(7, [3, 1, 0x61, 0x00, 1, 1, 0x62, 0x00, 2, 1, 0x63, 0x00, 3]),
];
const code = section(10, [3, ...body(10), ...body(20), ...body(30)]);
const tinyModule = Uint8Array.from([...beforeCode, ...code]);

/** The custom section V8 reads (its module decoder): name, one hint per defined function. */
function hintsSection(hints: number[]): number[] {
  const name = [...Buffer.from('compilationHints', 'latin1')];
  return section(0, [name.length, ...name, hints.length, ...hints]);
}

describe('readWithCompilationHints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'poste-dmp-wasm-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, bytes: Uint8Array): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('reads a module with its hints in place: the bytes withCompilationHints gives', () => {
    expect([...readWithCompilationHints(file('tiny.wasm', tinyModule), [0, 2])]).toEqual([
      ...beforeCode,
      ...hintsSection([2, 1, 2]),
      ...code,
    ]);
    const sqlJs = readFileSync(sqlWasmFile());
    const eager = sqlWasmEagerFunctions.functions;
    const read = Buffer.from(readWithCompilationHints(sqlWasmFile(), eager));
    expect(read.length).toBeGreaterThan(sqlJs.length);
    expect(read.equals(withCompilationHints(sqlJs, eager))).toBe(true);
  });

  it('also when the sections before the code are longer than its first read, or the module is hinted already', () => {
    // A 70 KB custom section before the code: past the 64 KB read first.
    const padding = new Uint8Array(70 * 1024).fill(0x61);
    const name = [...Buffer.from('pad', 'latin1')];
    const payload = [name.length, ...name, ...padding];
    const size = [
      0x80 | (payload.length & 0x7f),
      0x80 | ((payload.length >> 7) & 0x7f),
      payload.length >> 14,
    ];
    const long = Uint8Array.from([...beforeCode, 0, ...size, ...payload, ...code]);
    const read = Buffer.from(readWithCompilationHints(file('long.wasm', long), [1]));
    expect(read.length).toBeGreaterThan(long.length);
    expect(read.equals(withCompilationHints(long, [1]))).toBe(true);
    const hinted = withCompilationHints(tinyModule, [0]);
    expect([...readWithCompilationHints(file('hinted.wasm', hinted), [1, 2])]).toEqual([...hinted]);
  });
});

describe('withCompilationHints', () => {
  it('adds one hint per defined function, just before the code section: 2 (eager) for those listed, 1 (lazy) for the others', () => {
    expect(definedFunctionCount(tinyModule)).toBe(3);
    const hinted = withCompilationHints(tinyModule, [0, 2]);
    expect([...hinted]).toEqual([...beforeCode, ...hintsSection([2, 1, 2]), ...code]);
  });

  it('leaves what the module does unchanged', () => {
    const hinted = withCompilationHints(tinyModule, [1]);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(hinted as Uint8Array<ArrayBuffer>), {
      m: { f: () => 0 },
    });
    expect(['a', 'b', 'c'].map((name) => (instance.exports[name] as () => number)())).toEqual([10, 20, 30]);
  });

  it('ignores indices beyond the defined functions, and returns unchanged what it cannot hint', () => {
    expect([...withCompilationHints(tinyModule, [-1, 1.5, 3, 99])]).toEqual([
      ...beforeCode,
      ...hintsSection([1, 1, 1]),
      ...code,
    ]);
    // Already hinted: V8 reads the first hints section only, and a second one would not be ours.
    const hinted = withCompilationHints(tinyModule, [0]);
    expect(withCompilationHints(hinted, [1, 2])).toBe(hinted);
    // Not a module, a module without code, a section running past the end.
    const notWasm = Buffer.from('not a module');
    expect(withCompilationHints(notWasm, [0])).toBe(notWasm);
    const noCode = Uint8Array.from(beforeCode);
    expect(withCompilationHints(noCode, [0])).toBe(noCode);
    const truncated = tinyModule.subarray(0, tinyModule.length - 3);
    expect(withCompilationHints(truncated, [0])).toBe(truncated);
    expect(definedFunctionCount(truncated)).toBeNull();
  });

  it('is followed by V8 under the CLI’s flags: listed functions compiled with the module, the others only when called', () => {
    // V8 names each function it compiles with --trace-wasm-compilation-times (function indices count
    // the import: defined function 0 is #1). Without the hints, or with a section V8 refuses, this
    // fails: every function compiled, or no module.
    const compiled = (bytes: Uint8Array, call: string[], flags: string[]): number[] => {
      const script = `const m = new WebAssembly.Module(Buffer.from(${JSON.stringify(Buffer.from(bytes).toString('base64'))}, 'base64'));
        const i = new WebAssembly.Instance(m, { m: { f: () => 0 } });
        for (const name of ${JSON.stringify(call)}) i.exports[name]();`;
      const run = spawnSync(process.execPath, [...flags, '--trace-wasm-compilation-times', '-e', script], {
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      return [...run.stdout.matchAll(/^Compiled function \S+#(\d+) using /gm)]
        .map((m) => Number(m[1]))
        .sort();
    };
    const cliFlags = [
      '--no-wasm-lazy-compilation',
      '--experimental-wasm-compilation-hints',
      '--liftoff-only',
    ];
    const hinted = withCompilationHints(tinyModule, [0, 1]);
    expect(compiled(hinted, [], cliFlags)).toEqual([1, 2]);
    expect(compiled(hinted, ['c'], cliFlags)).toEqual([1, 2, 3]);
    // The same flags without hints compile the whole module.
    expect(compiled(tinyModule, [], cliFlags)).toEqual([1, 2, 3]);
    // Other processes keep V8's default: every function at its first call, hints or not.
    expect(compiled(hinted, ['c'], ['--liftoff-only'])).toEqual([3]);
  });
});

describe('sql.js compiled with its hints', () => {
  it('lists functions of the installed sql.js build (run `npm run sql-wasm:eager-functions` after changing sql.js)', () => {
    const wasm = readFileSync(sqlWasmFile());
    expect(createHash('sha256').update(wasm).digest('hex')).toBe(sqlWasmEagerFunctions.wasmSha256);
    const functions = sqlWasmEagerFunctions.functions;
    const defined = definedFunctionCount(wasm)!;
    expect(functions.length).toBeGreaterThan(100);
    expect(functions.every((index) => Number.isInteger(index) && index >= 0 && index < defined)).toBe(true);
    expect(functions.every((index, i) => i === 0 || index > functions[i - 1]!)).toBe(true);
  });

  it('compiles to a module that carries the hints and exports what sql.js needs', async () => {
    const module = await compileSqlWasm();
    const plain = new WebAssembly.Module(readFileSync(sqlWasmFile()));
    expect(WebAssembly.Module.exports(module)).toEqual(WebAssembly.Module.exports(plain));
    expect(WebAssembly.Module.customSections(module, 'compilationHints')).toHaveLength(1);
  });
});
