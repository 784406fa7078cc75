import { describe, expect, it } from 'vitest';
import { parseCda } from '../../../src/main/cda/import';
import { narrativeIdIndex, narrativeToHtml } from '../../../src/main/cda/narrative';
import { parseXml } from '../../../src/main/cda/xml/parse';
import { minimalCda, structuredBody } from './support/fixtures';

function render(narrative: string): string {
  const { root } = parseXml(`<text xmlns="urn:hl7-org:v3">${narrative}</text>`);
  return narrativeToHtml(root);
}

describe('narrative → inert HTML', () => {
  it('maps the CDA narrative elements to their HTML counterparts', () => {
    const html = render(
      '<paragraph>Un <content styleCode="Bold Italics">mot</content><br/>suite</paragraph>' +
        '<list listType="ordered"><item>a</item></list><list><item>b</item></list>' +
        '<table border="1"><caption>C</caption><thead><tr><th>H</th></tr></thead><tbody><tr><td colspan="2" rowspan="x">v<sub>1</sub><sup>2</sup></td></tr></tbody></table>',
    );
    expect(html).toBe(
      '<p>Un <span class="cda-bold cda-italic">mot</span><br>suite</p><ol><li>a</li></ol><ul><li>b</li></ul>' +
        '<table><caption>C</caption><thead><tr><th>H</th></tr></thead><tbody><tr><td colspan="2">v<sub>1</sub><sup>2</sup></td></tr></tbody></table>',
    );
  });

  it('never lets a script element through, and escapes its text', () => {
    const html = render('<paragraph>a<script>alert(1)</script></paragraph>');
    expect(html).not.toMatch(/<script/i);
    expect(html).toBe('<p>aalert(1)</p>');
  });

  it('drops event-handler and style attributes, keeping a narrative ID as a prefixed anchor for « Source »', () => {
    const html = render(
      '<paragraph onclick="x()" style="background:url(http://e.vil)"><content onerror="alert(1)" ID="a1">t</content></paragraph>',
    );
    expect(html).toBe('<p><span id="cda-a1">t</span></p>');
  });

  it('drops an ID that is not a plain identifier', () => {
    expect(render('<content ID="a&quot; onclick=&quot;x()">t</content>')).toBe('<span>t</span>');
  });

  it('renders linkHtml as plain text, never as a link', () => {
    const html = render(
      '<paragraph><linkHtml href="javascript:alert(1)">cliquer</linkHtml><linkHtml href="https://e.vil/">site</linkHtml></paragraph>',
    );
    expect(html).not.toContain('href');
    expect(html).not.toContain('javascript:');
    expect(html).not.toMatch(/<a[\s>]/);
    expect(html).toContain('cliquer');
  });

  it('never produces an image or any element that loads something', () => {
    const html = render(
      '<paragraph><renderMultiMedia referencedObject="MM1"/><img src="http://e.vil/x.png" onerror="alert(1)"/><iframe src="http://e.vil"/><object data="x"/></paragraph>',
    );
    expect(html).not.toMatch(/<(img|iframe|object|embed|video|audio|link|style)\b/i);
    expect(html).not.toMatch(/src=|onerror|data=/i);
    expect(html).toContain('[contenu multimédia non affiché]');
  });

  it('escapes markup that arrives as text (CDATA or entities)', () => {
    const html = render('<paragraph><![CDATA[<img src=x onerror=alert(1)>]]> &lt;script&gt;</paragraph>');
    expect(html).toBe('<p>&#60;img src=x onerror=alert(1)&#62; &#60;script&#62;</p>');
  });

  it('keeps an XHTML-namespaced script out as well', () => {
    const html = render(
      '<x:script xmlns:x="http://www.w3.org/1999/xhtml">evil()</x:script><x:a xmlns:x="http://www.w3.org/1999/xhtml" href="javascript:1">t</x:a>',
    );
    expect(html).toBe('evil()t');
  });

  it('is what a parsed section exposes as narrativeHtml', () => {
    const doc = parseCda(
      minimalCda({
        body: structuredBody(
          '<section><code code="x"/><title>t</title><text><paragraph>ok<script>no</script></paragraph></text></section>',
        ),
      }),
    );
    expect(doc.body.kind === 'structured' && doc.body.sections[0]?.narrativeHtml).toBe('<p>okno</p>');
  });

  it('indexes reference targets from the narrative only, not IDs carried by entries', () => {
    const { root } = parseXml(
      '<section xmlns="urn:hl7-org:v3"><text><content ID="a">Libellé</content></text><entry><observationMedia ID="b"><value>QUJD</value></observationMedia></entry></section>',
    );
    const index = narrativeIdIndex([root]);
    expect([...index.keys()]).toEqual(['a']);
  });
});
