// A bundle's source as ASCII, for V8 to hold as a one-byte string (scripts/node-bundle.mjs).
import { decode, encode } from '@jridgewell/sourcemap-codec';

/**
 * `code` with every non-ASCII UTF-16 code unit written `\uXXXX`, and `map` (a source map object, or
 * null) with its generated columns moved to match. esbuild writes every string and identifier in
 * ASCII already but leaves regular expression literals as they are; there, `\uXXXX` means the same
 * code unit with or without the `u` flag (a surrogate pair written as two escapes is still one code
 * point under `u`). One non-ASCII character left makes V8 hold the whole source in two bytes per
 * character (docs/performance.md, CLI import, cold path).
 *
 * A non-ASCII character right after a backslash (an identity escape, `\é`) would become `\\u…`, which
 * means something else: refused rather than rewritten.
 */
export function asciiSource(code, map) {
  const lines = code.split('\n');
  const shifted = map ? decode(map.mappings) : null;
  const rewritten = lines.map((line, lineIndex) => {
    // Columns of the line's non-ASCII code units, in order.
    const at = [];
    for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) > 0x7f) at.push(i);
    if (at.length === 0) return line;
    let out = '';
    let from = 0;
    for (const column of at) {
      let slashes = 0;
      for (let i = column - 1; i >= 0 && line[i] === '\\'; i--) slashes++;
      if (slashes % 2 === 1)
        throw new Error(
          `line ${lineIndex + 1}, column ${column + 1}: a non-ASCII character after a backslash`,
        );
      out += line.slice(from, column) + `\\u${line.charCodeAt(column).toString(16).padStart(4, '0')}`;
      from = column + 1;
    }
    out += line.slice(from);
    const segments = shifted?.[lineIndex];
    if (segments) {
      // Each escape is five code units longer than the character it replaces.
      for (const segment of segments) segment[0] += 5 * countBelow(at, segment[0]);
    }
    return out;
  });
  return {
    code: rewritten.join('\n'),
    map: map && shifted ? { ...map, mappings: encode(shifted) } : map,
  };
}

/** How many of the sorted `columns` are below `column`. */
function countBelow(columns, column) {
  let n = 0;
  while (n < columns.length && columns[n] < column) n++;
  return n;
}
