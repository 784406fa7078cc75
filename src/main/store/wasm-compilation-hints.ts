import { closeSync, fstatSync, openSync } from 'node:fs';
import { readAt } from './durable-fs';

/**
 * V8's WebAssembly compilation hints: a custom section named `compilationHints` that says, for each
 * function a module defines, whether V8 compiles it when the module is compiled (eager) or at its
 * first call (lazy). V8 reads it only under `--experimental-wasm-compilation-hints` and
 * `--no-wasm-lazy-compilation`; any other engine, or V8 without those flags, skips it as an unknown
 * custom section. Format (V8's module decoder): placed after the function section and before the
 * code section; the section's name, then the number of functions the module defines (it must be
 * exactly that), then one byte per function: strategy in bits 0–1 (1 lazy, 2 eager), baseline tier
 * in bits 2–3 and top tier in bits 4–5 (0: V8's choice).
 *
 * Why (docs/performance.md, CLI import, cold path): V8 compiles sql.js's functions lazily, on the
 * thread that calls them, and a short CLI command spends ~50 ms there at its first statements.
 * Compiled eagerly, the whole module takes longer than that; hinted, only the functions such a
 * command runs are compiled, on V8's background threads, while the command loads its own code.
 */

const sectionName = 'compilationHints';
const lazyHint = 0x01;
const eagerHint = 0x02;
const codeSectionId = 10;
const functionSectionId = 3;
const customSectionId = 0;

/** Where a module's sections are, as far as the hints need: null when `wasm` is not a module we can read. */
interface ModuleLayout {
  /** Functions the module defines (its function section's count; imports not included). */
  definedFunctions: number;
  /** Offset of the code section's first byte (its id). */
  codeSectionStart: number;
  /** Whether the module carries a compilation hints section already. */
  hinted: boolean;
}

/**
 * `wasm` with a compilation hints section: the functions in `eager` (indices among the functions the
 * module defines, imports not counted) compiled with the module, every other one at its first call.
 * Indices beyond the module's functions are ignored. A module already hinted, or one whose sections
 * cannot be read, is returned as it is: hints change when code is compiled, never what it does.
 */
export function withCompilationHints(wasm: Uint8Array, eager: Iterable<number>): Uint8Array {
  const layout = readLayout(wasm);
  if (!layout || layout.hinted) return wasm;
  const section = hintsSection(layout.definedFunctions, eager);
  return Buffer.concat([
    wasm.subarray(0, layout.codeSectionStart),
    section,
    wasm.subarray(layout.codeSectionStart),
  ]);
}

/** What a module's sections before its code are read from first (sql.js's: ~6 KB). */
const headReadSize = 64 * 1024;

/**
 * The module in the file `path` with its compilation hints, as `withCompilationHints` gives it, read
 * into one buffer with the section in place: the sections before the code first, then the code
 * after the hints. Joining them after reading the file whole copied sql.js's 660 KB once more, into
 * fresh memory, on the CLI's path to its first statement (~3 ms here: docs/performance.md).
 */
export function readWithCompilationHints(path: string, eager: Iterable<number>): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = readWhole(fd, Buffer.allocUnsafe(Math.min(size, headReadSize)), 0, 0);
    const layout = readLayout(head, { codeMayEndPast: true });
    if (!layout || layout.hinted)
      return withCompilationHints(readWhole(fd, Buffer.allocUnsafe(size), 0, 0), eager);
    const section = hintsSection(layout.definedFunctions, eager);
    const wasm = Buffer.allocUnsafe(size + section.length);
    head.copy(wasm, 0, 0, layout.codeSectionStart);
    wasm.set(section, layout.codeSectionStart);
    return readWhole(fd, wasm, layout.codeSectionStart + section.length, layout.codeSectionStart);
  } finally {
    closeSync(fd);
  }
}

/** `buffer` filled from `offset` on with the file's bytes from `position`; throws if the file is shorter. */
function readWhole(fd: number, buffer: Buffer, offset: number, position: number): Buffer {
  if (readAt(fd, buffer, offset, position) < buffer.length - offset)
    throw new Error('WebAssembly file shorter than when it was measured');
  return buffer;
}

/** The custom section: `eager` compiled with the module, the other defined functions at first call. */
function hintsSection(definedFunctions: number, eager: Iterable<number>): Uint8Array {
  const hints = new Uint8Array(definedFunctions).fill(lazyHint);
  for (const index of eager) {
    if (Number.isInteger(index) && index >= 0 && index < hints.length) hints[index] = eagerHint;
  }
  const name = Buffer.from(sectionName, 'latin1');
  const payload = Buffer.concat([leb128(name.length), name, leb128(hints.length), hints]);
  return Buffer.concat([Uint8Array.of(customSectionId), leb128(payload.length), payload]);
}

/** The number of functions `wasm` defines (imports not counted); null when it cannot be read. */
export function definedFunctionCount(wasm: Uint8Array): number | null {
  return readLayout(wasm)?.definedFunctions ?? null;
}

/**
 * `codeMayEndPast`: `wasm` is the file's beginning only; the code section may end past it (the
 * sections before it must be whole).
 */
function readLayout(wasm: Uint8Array, { codeMayEndPast = false } = {}): ModuleLayout | null {
  // `\0asm`, version 1.
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  if (wasm.length < header.length || header.some((byte, i) => wasm[i] !== byte)) return null;
  let definedFunctions = 0;
  let hinted = false;
  let offset = header.length;
  while (offset < wasm.length) {
    const id = wasm[offset]!;
    const size = readLeb128(wasm, offset + 1);
    if (!size) return null;
    const payloadStart = size.next;
    const payloadEnd = payloadStart + size.value;
    if (id === codeSectionId && (codeMayEndPast || payloadEnd <= wasm.length))
      return { definedFunctions, codeSectionStart: offset, hinted };
    if (payloadEnd > wasm.length) return null;
    if (id === functionSectionId) {
      const count = readLeb128(wasm, payloadStart);
      if (!count) return null;
      definedFunctions = count.value;
    } else if (id === customSectionId) {
      const length = readLeb128(wasm, payloadStart);
      const name =
        length && length.next + length.value <= payloadEnd
          ? Buffer.from(wasm.buffer, wasm.byteOffset + length.next, length.value).toString('latin1')
          : null;
      if (name === sectionName) hinted = true;
    }
    offset = payloadEnd;
  }
  // No code section: nothing to hint.
  return null;
}

/** An unsigned LEB128 number at `offset` (at most 32 bits, as every size in a module); null when malformed. */
function readLeb128(bytes: Uint8Array, offset: number): { value: number; next: number } | null {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    const byte = bytes[offset + i];
    if (byte === undefined) return null;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return value <= 0xffff_ffff ? { value, next: offset + i + 1 } : null;
  }
  return null;
}

function leb128(value: number): Uint8Array {
  const bytes: number[] = [];
  let rest = value;
  do {
    const low = rest % 128;
    rest = Math.floor(rest / 128);
    bytes.push(rest > 0 ? low | 0x80 : low);
  } while (rest > 0);
  return Uint8Array.from(bytes);
}
