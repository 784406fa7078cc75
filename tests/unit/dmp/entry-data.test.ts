import { describe, expect, it } from 'vitest';
import { decodeEntryData, encodeEntryData, type EntryData } from '../../../src/main/dmp/entry-data';
import type { ExtractedEntry } from '../../../src/main/cda/types';

/**
 * What `clinical_entries.data` reads back as: what was written, or `{}` for a row written by an older
 * version (NULL) or damaged, never a partly trusted object (the summary then shows the fixed columns).
 */
const full: EntryData = {
  facts: [{ label: 'Posologie', value: '1 cp/j' }],
  severity: 'sévère',
  negated: true,
  moodCode: 'EVN',
  anchor: 'med-1',
  lab: {
    value: '5,2',
    unit: 'mmol/l',
    numeric: 5.2,
    referenceRange: '3,9–5,5',
    flag: 'critical-high',
    flagLabel: 'Très élevé',
  },
  contactRole: 'trusted',
  noneKnownSection: 'allergies',
  reimbursement: {
    quantity: '2',
    prescriber: 'Dr X',
    pharmacy: 'Pharmacie',
    performer: 'Y',
    therapeuticClass: 'Z',
  },
  sectionCode: '48765-2',
};

describe('entry data', () => {
  it('reads back what was written, every field', () => {
    const entry = { kind: 'medication', code: { code: 'x' }, ...full } as unknown as ExtractedEntry;
    const written = encodeEntryData(entry);
    expect(written).not.toBeNull();
    expect(decodeEntryData(written)).toEqual(full);
  });

  it('writes nothing for an entry without extra data, and reads nothing back as {}', () => {
    expect(encodeEntryData({ kind: 'problem' } as unknown as ExtractedEntry)).toBeNull();
    expect(decodeEntryData(null)).toEqual({});
    expect(decodeEntryData(undefined)).toEqual({});
    expect(decodeEntryData('')).toEqual({});
    expect(decodeEntryData('{}')).toEqual({});
  });

  it.each([
    ['a partial lab reading', { lab: { value: '12' } }],
    ['an empty fact list', { facts: [] }],
    ['an empty reimbursement', { reimbursement: {} }],
    ['a negative, fractional number', { lab: { value: '-0,5', numeric: -0.5 } }],
  ])('accepts %s', (_, data) => {
    expect(decodeEntryData(JSON.stringify(data))).toEqual(data);
  });

  it.each([
    ['not JSON', '{"severity":'],
    ['JSON null', 'null'],
    ['a string', '"sévère"'],
    ['an array', '[{"severity":"x"}]'],
    ['an unknown key', '{"severity":"x","nir":"1"}'],
    ['a prototype key', '{"severity":"x","__proto__":{"a":1}}'],
    ['an unknown key in lab', '{"lab":{"value":"1","nom":"x"}}'],
    ['an unknown key in a fact', '{"facts":[{"label":"a","value":"b","c":1}]}'],
    ['an unknown key in reimbursement', '{"reimbursement":{"x":"1"}}'],
    ['a lab reading without its value', '{"lab":{"unit":"g"}}'],
    ['a fact without its value', '{"facts":[{"label":"a"}]}'],
    ['facts that are not a list', '{"facts":{"label":"a","value":"b"}}'],
    ['a fact that is not an object', '{"facts":["a"]}'],
    ['a number where text is due', '{"severity":3}'],
    ['text where a number is due', '{"lab":{"value":"1","numeric":"1"}}'],
    ['text where a boolean is due', '{"negated":"true"}'],
    ['null for an optional field', '{"severity":null}'],
    ['an unknown lab flag', '{"lab":{"value":"1","flag":"weird"}}'],
    ['an unknown contact role', '{"contactRole":"friend"}'],
    ['an unknown section', '{"noneKnownSection":"dreams"}'],
  ])('reads %s as {}', (_, raw) => {
    expect(decodeEntryData(raw)).toEqual({});
  });
});
