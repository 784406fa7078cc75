import { describe, expect, it } from 'vitest';
import { hl7TimeToIso } from '../../../src/main/cda/hl7/datatypes';
import { parseXml } from '../../../src/main/cda/xml/parse';
import {
  attr,
  child,
  children,
  findDescendants,
  path,
  pathAll,
  templateIdsOf,
  text,
} from '../../../src/main/cda/xml/tree';

const sample = `<?xml version="1.0"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:sdtc="urn:hl7-org:sdtc">
  <templateId root="1.1"/><templateId root="1.2"/><templateId/>
  <recordTarget><patientRole><patient><name><given>A</given> <family>B</family></name></patient></patientRole></recordTarget>
  <sdtc:name>extension element</sdtc:name>
  <value xsi:type="CD" code="c"/>
  <text ID="n1">un  <content>deux</content><br/>trois</text>
</ClinicalDocument>`;

describe('immutable XML tree', () => {
  const { root } = parseXml(sample);

  it('strips namespaces into local names and keeps the namespace', () => {
    expect(root.local).toBe('ClinicalDocument');
    expect(root.ns).toBe('urn:hl7-org:v3');
    expect(root.children.find((c) => c.name === 'sdtc:name')?.local).toBe('name');
  });

  it('child/children/path only match CDA elements, not extensions', () => {
    expect(child(root, 'name')).toBeUndefined();
    expect(text(path(root, 'recordTarget', 'patientRole', 'patient', 'name'))).toBe('A B');
    expect(pathAll(root, 'recordTarget', 'patientRole', 'patient', 'name', 'given')).toHaveLength(1);
    expect(children(root, 'templateId')).toHaveLength(3);
    expect(templateIdsOf(root)).toEqual(['1.1', '1.2']);
  });

  it('exposes xsi:type under a stable key and drops xmlns declarations', () => {
    expect(attr(child(root, 'value'), 'xsi:type')).toBe('CD');
    expect(Object.keys(root.attrs)).toEqual([]);
  });

  it('keeps mixed content in order', () => {
    const narrative = child(root, 'text');
    expect(narrative?.nodes.map((n) => (typeof n === 'string' ? n : `<${n.local}>`))).toEqual([
      'un  ',
      '<content>',
      '<br>',
      'trois',
    ]);
    expect(text(narrative)).toBe('un deux trois');
  });

  it('is frozen', () => {
    expect(Object.isFrozen(root)).toBe(true);
    expect(Object.isFrozen(root.children)).toBe(true);
    expect(Object.isFrozen(root.attrs)).toBe(true);
  });

  it('finds descendants depth-first', () => {
    expect(
      findDescendants(root, (e) => e.local === 'given' || e.local === 'family').map((e) => e.local),
    ).toEqual(['given', 'family']);
  });
});

describe('HL7 TS → ISO', () => {
  it.each([
    ['2019', '2019'],
    ['201905', '2019-05'],
    ['20190526', '2019-05-26'],
    ['201905260949', '2019-05-26T09:49:00'],
    ['20190526094914+0100', '2019-05-26T09:49:14+01:00'],
    ['20190526094914.123-0500', '2019-05-26T09:49:14-05:00'],
  ])('%s → %s', (ts, iso) => {
    expect(hl7TimeToIso(ts)).toBe(iso);
  });

  it('rejects what is not a TS', () => {
    expect(hl7TimeToIso('26/05/2019')).toBeUndefined();
    expect(hl7TimeToIso(undefined)).toBeUndefined();
  });
});
