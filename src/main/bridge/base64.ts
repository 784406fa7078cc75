/**
 * The bytes `text` encodes when it is standard base64 with its padding (RFC 4648 §4) — a multiple of
 * four characters of A–Z a–z 0–9 + /, the last one or two of which may be `=`; no whitespace —,
 * else null. The empty string encodes no bytes (callers that need content check the length).
 *
 * The one definition of that check: deposits (dmp/deposit-input.ts), the local import protocol
 * (local-import/json-check.ts). It accepts exactly what
 * `text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text)` accepts
 * (tests/unit/contract/base64.test.ts, property test against that expression), which cost the host
 * 12–25 ms of CPU per 2 MB deposit (docs/performance.md, « CPU per IPS-FR deposit »).
 *
 * How, in native code only (decode and encode, ~1 ms each for 2 MB; a JavaScript loop over the
 * characters takes ~6): the canonical encoding of the decoded bytes holds alphabet characters then
 * its padding, nothing else. If `text` equals it at every position but the last alphabet one, and
 * that character is in the alphabet too, `text` has the form above, whatever the decoder made of
 * it. Conversely a well-formed `text` decodes exactly and encodes back to itself, but for the unused
 * low bits of its last character before padding (RFC 4648 §3.5: a decoder ignores them).
 */
export function decodePaddedBase64(text: string): Buffer | null {
  const bytes = Buffer.from(text, 'base64');
  const canonical = bytes.toString('base64');
  if (canonical.length !== text.length) return null;
  let last = canonical.length - 1;
  while (last >= 0 && canonical.charCodeAt(last) === equals) last--;
  if (last < 0) return bytes;
  if (!isAlphabet(text.charCodeAt(last))) return null;
  if (canonical.slice(0, last) !== text.slice(0, last)) return null;
  if (canonical.slice(last + 1) !== text.slice(last + 1)) return null;
  return bytes;
}

const equals = 0x3d;

function isAlphabet(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x61 && c <= 0x7a) || // a-z
    (c >= 0x30 && c <= 0x39) || // 0-9
    c === 0x2b || // +
    c === 0x2f // /
  );
}

/** Whether `text` is standard base64 with its padding (see decodePaddedBase64). */
export function isPaddedBase64(text: string): boolean {
  return decodePaddedBase64(text) !== null;
}
