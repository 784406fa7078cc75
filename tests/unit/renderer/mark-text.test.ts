// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { markFirstOccurrence } from '../../../src/renderer/src/lib/mark-text';

describe('markFirstOccurrence', () => {
  it('marks the whole label when the narrative has it, whatever the case', () => {
    const out = markFirstOccurrence('<p>Traitement : plavix 75 mg le matin</p>', 'PLAVIX 75 mg');
    expect(out).toContain('<mark id="entree-synthese">plavix 75 mg</mark> le matin');
  });

  it('falls back to the label’s longest leading words found in the narrative', () => {
    const out = markFirstOccurrence('<td><span>PLAVIX 75mg, comprimé pelliculé</span></td>', 'PLAVIX 75 mg');
    expect(out).toContain('<mark id="entree-synthese">PLAVIX 75</mark>mg, comprimé');
  });

  it('leaves the HTML as it was when nothing matches, and never marks a short word alone', () => {
    expect(markFirstOccurrence('<p>Rien</p>', 'Absent ici')).toBe('<p>Rien</p>');
    expect(markFirstOccurrence('<p>le bon</p>', 'le')).toBe('<p>le bon</p>');
  });
});

describe('markFirstOccurrence with a narrative anchor', () => {
  it('marks the anchored element (each cell of an anchored row) rather than searching the text', () => {
    const html =
      '<table><tr id="cda-med1"><td>PLAVIX</td><td>1 cp</td></tr><tr><td>PLAVIX 75 mg</td></tr></table>';
    const out = markFirstOccurrence(html, 'PLAVIX 75 mg', 'med1');
    expect(out).toContain(
      '<tr id="cda-med1"><td><mark id="entree-synthese">PLAVIX</mark></td><td><mark>1 cp</mark></td></tr>',
    );
    expect(out).toContain('<td>PLAVIX 75 mg</td>');
  });
});
