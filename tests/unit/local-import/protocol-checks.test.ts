import { describe, expect, it } from 'vitest';
import {
  isLocalImportAnswer,
  isLocalImportRequest,
  maxRequestFrameBytes,
} from '../../../src/main/local-import/protocol';

/**
 * The protocol's checks (json-check.ts), as the instance applies them to requests and the CLI to
 * answers: exactly the documented messages, nothing extra, nothing missing, bounded.
 */
const hello = { v: 1, type: 'hello' };
const importing = { v: 1, type: 'import', create: true, contentBase64: 'PGNkYS8+' };
const result = {
  v: 1,
  type: 'result',
  outcome: { ok: true, documentId: 'd1', created: false, counts: { sections: 2, labResult: 0 } },
};

describe('local import protocol checks', () => {
  it.each([
    ['hello', hello],
    ['import', importing],
    ['import, empty file', { ...importing, contentBase64: '' }],
    ['import, one padding character', { ...importing, contentBase64: 'PGNk' + 'YS8=' }],
    ['import, two padding characters', { ...importing, contentBase64: 'PGNkYQ==' }],
    ['refused file', { v: 1, type: 'refused-file', cause: 'file: too large' }],
  ])('accepts a request: %s', (_, request) => {
    expect(isLocalImportRequest(request)).toBe(true);
  });

  it.each([
    ['not an object', 'hello'],
    ['null', null],
    ['an array', [hello]],
    ['another version', { ...hello, v: 2 }],
    ['no version', { type: 'hello' }],
    ['an unknown type', { v: 1, type: 'summary' }],
    ['an extra field', { ...importing, actor: 'x' }],
    ['a prototype key', JSON.parse('{"v":1,"type":"hello","__proto__":{"x":1}}') as unknown],
    ['a missing field', { v: 1, type: 'import', contentBase64: 'AA==' }],
    ['create not a boolean', { ...importing, create: 'true' }],
    ['not base64', { ...importing, contentBase64: '!!!!' }],
    ['base64 without its padding', { ...importing, contentBase64: 'PGNkYQ' }],
    ['padding inside', { ...importing, contentBase64: 'PG==YS8+' }],
    ['three padding characters', { ...importing, contentBase64: 'PGNkY===' }],
    ['content over the cap', { ...importing, contentBase64: 'A'.repeat(maxRequestFrameBytes + 4) }],
    ['a cause not in the list', { v: 1, type: 'refused-file', cause: 'file: other' }],
  ])('refuses a request: %s', (_, request) => {
    expect(isLocalImportRequest(request)).toBe(false);
  });

  it.each([
    ['ready', { v: 1, type: 'ready' }],
    ['a result', result],
    ['a refused import', { v: 1, type: 'result', outcome: { ok: false, message: 'Déjà déposé.' } }],
    ['a refusal', { v: 1, type: 'refused', code: 'BUSY', message: 'Réessayez.' }],
  ])('accepts an answer: %s', (_, answer) => {
    expect(isLocalImportAnswer(answer)).toBe(true);
  });

  it.each([
    ['a request', hello],
    ['another version', { v: 2, type: 'ready' }],
    ['an extra field in the outcome', { ...result, outcome: { ...result.outcome, insKey: 'k' } }],
    ['ok and a message', { ...result, outcome: { ok: true, message: 'x' } }],
    ['a negative count', { ...result, outcome: { ...result.outcome, counts: { sections: -1 } } }],
    ['a fractional count', { ...result, outcome: { ...result.outcome, counts: { sections: 1.5 } } }],
    ['a count as text', { ...result, outcome: { ...result.outcome, counts: { sections: '2' } } }],
    ['counts as an array', { ...result, outcome: { ...result.outcome, counts: [2] } }],
    ['a long count name', { ...result, outcome: { ...result.outcome, counts: { ['x'.repeat(101)]: 1 } } }],
    ['a long document id', { ...result, outcome: { ...result.outcome, documentId: 'd'.repeat(201) } }],
    ['a long message', { v: 1, type: 'result', outcome: { ok: false, message: 'x'.repeat(4001) } }],
    ['an unknown refusal code', { v: 1, type: 'refused', code: 'OTHER', message: 'x' }],
  ])('refuses an answer: %s', (_, answer) => {
    expect(isLocalImportAnswer(answer)).toBe(false);
  });
});
