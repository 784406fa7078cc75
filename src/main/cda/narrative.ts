import { attr, child, children, findDescendants } from './xml/tree';
import type { XmlElement } from './xml/tree';

/**
 * CDA narrative block → inert HTML. Only a whitelist of tags is emitted, text is always escaped and
 * the only attributes are `class` (from a fixed styleCode map) and numeric `colspan`/`rowspan`:
 * nothing that runs script, loads a resource or navigates can come out of here.
 */

const TAG_MAP: Readonly<Record<string, string>> = {
  paragraph: 'p',
  item: 'li',
  table: 'table',
  thead: 'thead',
  tbody: 'tbody',
  tfoot: 'tfoot',
  tr: 'tr',
  th: 'th',
  td: 'td',
  caption: 'caption',
  content: 'span',
  sub: 'sub',
  sup: 'sup',
  footnote: 'span',
  footnoteRef: 'span',
  // A link is shown as its text only: the document must never make the workstation navigate or fetch.
  linkHtml: 'span',
};

const STYLE_CLASSES: Readonly<Record<string, string>> = {
  bold: 'cda-bold',
  italics: 'cda-italic',
  underline: 'cda-underline',
  emphasis: 'cda-emphasis',
  lrule: 'cda-lrule',
  rrule: 'cda-rrule',
  toprule: 'cda-toprule',
  botrule: 'cda-botrule',
};

/** Elements whose content is layout metadata, never shown. */
const DROPPED = new Set(['col', 'colgroup']);

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function narrativeToHtml(textBlock: XmlElement | undefined): string {
  if (!textBlock) return '';
  const out: string[] = [];
  renderChildren(textBlock, out);
  return out.join('').trim();
}

function renderChildren(el: XmlElement, out: string[]): void {
  for (const node of el.nodes) {
    if (typeof node === 'string') out.push(escapeHtml(node.replace(/\s+/g, ' ')));
    else renderElement(node, out);
  }
}

function renderElement(el: XmlElement, out: string[]): void {
  const name = el.local;
  if (DROPPED.has(name)) return;
  if (name === 'br') {
    out.push('<br>');
    return;
  }
  if (name === 'renderMultiMedia') {
    out.push('<span class="cda-multimedia">[contenu multimédia non affiché]</span>');
    return;
  }
  const tag = name === 'list' ? (attr(el, 'listType') === 'ordered' ? 'ol' : 'ul') : TAG_MAP[name];
  if (!tag) {
    // Unknown or hostile element (script, img, iframe…): drop the tag, keep its text escaped.
    renderChildren(el, out);
    return;
  }
  out.push(`<${tag}${safeAttributes(el, tag)}>`);
  renderChildren(el, out);
  out.push(`</${tag}>`);
}

/**
 * A narrative `ID` becomes `id="cda-<ID>"` so « Source » can open the document at the entry that
 * references it; only plain identifiers pass (no quote, no space), prefixed so they cannot collide
 * with the application's own ids.
 */
const SAFE_ANCHOR = /^[A-Za-z0-9_.-]{1,64}$/;

export function anchorId(anchor: string): string | undefined {
  return SAFE_ANCHOR.test(anchor) ? `cda-${anchor}` : undefined;
}

function safeAttributes(el: XmlElement, tag: string): string {
  const parts: string[] = [];
  const anchor = el.attrs['ID'] !== undefined ? anchorId(el.attrs['ID']) : undefined;
  if (anchor) parts.push(` id="${anchor}"`);
  const classes = (attr(el, 'styleCode') ?? '')
    .split(/\s+/)
    .map((s) => STYLE_CLASSES[s.toLowerCase()])
    .filter((c): c is string => c !== undefined);
  if (classes.length > 0) parts.push(` class="${[...new Set(classes)].join(' ')}"`);
  if (tag === 'td' || tag === 'th') {
    for (const span of ['colspan', 'rowspan']) {
      const value = attr(el, span);
      if (value !== undefined && /^[1-9]\d{0,2}$/.test(value)) parts.push(` ${span}="${value}"`);
    }
  }
  return parts.join('');
}

/**
 * Narrative anchors (`ID` attributes inside section `text` blocks) targeted by `reference/@value="#…"`.
 * Only the narrative is indexed: an `ID` on an entry (e.g. an observationMedia holding base64) is not a label.
 */
export function narrativeIdIndex(sections: readonly XmlElement[]): Map<string, XmlElement> {
  const index = new Map<string, XmlElement>();
  for (const section of sections) {
    const block = child(section, 'text');
    if (!block) continue;
    for (const el of [block, ...findDescendants(block, (e) => e.attrs['ID'] !== undefined)]) {
      const id = el.attrs['ID'];
      if (id !== undefined && !index.has(id)) index.set(id, el);
    }
  }
  return index;
}

/** One cell of a narrative table row, with the header of its column when the table has one. */
export interface NarrativeCell {
  header?: string;
  text: string;
}

/** The table row of the narrative an entry points to: what the clinician reads for that entry. */
export interface NarrativeRow {
  cells: NarrativeCell[];
}

/**
 * Narrative table rows of one section `text` block, by every `ID` they hold (the row's own or a cell's
 * content). The narrative is the attested part of a CDA: the rules that check an entry against what
 * the clinician reads start from here. A row of a table nested in a cell overrides the outer row.
 */
export function narrativeRows(textBlock: XmlElement | undefined): Map<string, NarrativeRow> {
  const rows = new Map<string, NarrativeRow>();
  if (!textBlock) return rows;
  for (const table of findDescendants(textBlock, (e) => e.local === 'table')) {
    const trs = [
      ...children(table, 'tr'),
      ...['thead', 'tbody', 'tfoot'].flatMap((part) =>
        children(table, part).flatMap((p) => children(p, 'tr')),
      ),
    ];
    // A title row (one th spanning the table) may come before the column headers: take the widest.
    const headerRow = trs
      .filter((tr) => tr.children.some((c) => c.local === 'th') && children(tr, 'td').length === 0)
      .reduce<XmlElement | undefined>(
        (widest, tr) => (widest && columnTexts(widest).length > columnTexts(tr).length ? widest : tr),
        undefined,
      );
    const headers = headerRow ? columnTexts(headerRow) : [];
    for (const tr of trs) {
      if (tr === headerRow || children(tr, 'td').length === 0) continue;
      const cells = columnTexts(tr).map((cellText, i) => {
        const header = headers[i];
        return header ? { header, text: cellText } : { text: cellText };
      });
      const row = { cells };
      for (const el of [tr, ...findDescendants(tr, (e) => e.attrs['ID'] !== undefined)]) {
        const id = el.attrs['ID'];
        if (id !== undefined) rows.set(id, row);
      }
    }
  }
  return rows;
}

/** Cell texts by column position, a `colspan` cell repeated over the columns it spans. */
function columnTexts(tr: XmlElement): string[] {
  const out: string[] = [];
  for (const cell of tr.children.filter((c) => c.local === 'td' || c.local === 'th')) {
    const span = Math.min(Number(attr(cell, 'colspan') ?? '1') || 1, 50);
    for (let i = 0; i < span; i++) out.push(cellText(cell));
  }
  return out;
}

/** A cell's words, its lines (`br`, paragraphs, items, nested rows) kept apart by « / ». */
function cellText(cell: XmlElement): string {
  const parts: string[] = [];
  const walk = (el: XmlElement): void => {
    for (const n of el.nodes) {
      if (typeof n === 'string') parts.push(n);
      else {
        if (LINE_BREAKS.has(n.local)) parts.push('\n');
        walk(n);
        if (LINE_BREAKS.has(n.local)) parts.push('\n');
      }
    }
  };
  walk(cell);
  return parts
    .join('')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '')
    .join(' / ');
}

const LINE_BREAKS: ReadonlySet<string> = new Set(['br', 'paragraph', 'item', 'tr']);
