/**
 * The subset of the Atlassian Document Format (ADF) the Jira destination writes
 * (https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/), with builders that make a
 * valid document out of any text:
 * - a text node is never empty ("Empty text nodes are not permitted", …/document/nodes/text): builders drop
 *   empty pieces, and a list or code block with nothing in it is left out rather than sent empty;
 * - text inside a codeBlock carries no marks (…/document/nodes/codeBlock: "content takes an array of one or
 *   more text nodes without marks");
 * - newlines in paragraph text become `hardBreak` nodes; text is made well-formed (lone surrogates replaced)
 *   and free of control and bidi-override characters, which Jira may store but would render misleadingly;
 * - a `link` mark always carries `attrs.href` (…/document/marks/link).
 */

export type AdfMark = { type: 'strong' } | { type: 'em' } | { type: 'code' } | { type: 'link'; attrs: { href: string } };
export interface AdfText {
  type: 'text';
  text: string;
  marks?: AdfMark[];
}
export interface AdfHardBreak {
  type: 'hardBreak';
}
export type AdfInline = AdfText | AdfHardBreak;
export interface AdfParagraph {
  type: 'paragraph';
  content: AdfInline[];
}
export interface AdfHeading {
  type: 'heading';
  attrs: { level: 1 | 2 | 3 | 4 | 5 | 6 };
  content: AdfInline[];
}
export interface AdfListItem {
  type: 'listItem';
  content: AdfParagraph[];
}
export interface AdfBulletList {
  type: 'bulletList';
  content: AdfListItem[];
}
export interface AdfCodeBlock {
  type: 'codeBlock';
  attrs: { language: string };
  content: AdfText[];
}
export type AdfBlock = AdfParagraph | AdfHeading | AdfBulletList | AdfCodeBlock;
export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfBlock[];
}

/** Text as inline nodes: one text node per line, joined by hard breaks; nothing for empty text. */
export function text(value: string, marks: AdfMark[] = []): AdfInline[] {
  const lines = cleanText(value).split('\n');
  const nodes: AdfInline[] = [];
  lines.forEach((line, i) => {
    if (i > 0 && nodes.length > 0) nodes.push({ type: 'hardBreak' });
    if (line !== '') nodes.push(marks.length > 0 ? { type: 'text', text: line, marks } : { type: 'text', text: line });
  });
  while (nodes[nodes.length - 1]?.type === 'hardBreak') nodes.pop();
  return nodes;
}

export function strong(value: string): AdfInline[] {
  return text(value, [{ type: 'strong' }]);
}

export function link(value: string, href: string): AdfInline[] {
  return text(value, [{ type: 'link', attrs: { href } }]);
}

export function paragraph(...parts: AdfInline[][]): AdfParagraph {
  return { type: 'paragraph', content: parts.flat() };
}

export function heading(level: AdfHeading['attrs']['level'], value: string): AdfHeading {
  return { type: 'heading', attrs: { level }, content: text(value) };
}

/** A bullet list of one paragraph per item; null when no item has any text (a list needs one item). */
export function bulletList(items: AdfInline[][]): AdfBulletList | null {
  const content = items.filter((item) => item.length > 0).map((item): AdfListItem => ({ type: 'listItem', content: [paragraph(item)] }));
  return content.length > 0 ? { type: 'bulletList', content } : null;
}

/** A code block keeps newlines inside its single unmarked text node; null when there is no text. */
export function codeBlock(value: string, language: string): AdfCodeBlock | null {
  const cleaned = cleanText(value);
  return cleaned === '' ? null : { type: 'codeBlock', attrs: { language }, content: [{ type: 'text', text: cleaned }] };
}

export function doc(...blocks: (AdfBlock | null)[]): AdfDoc {
  const content = blocks.filter((b): b is AdfBlock => b !== null && !(b.type === 'paragraph' && b.content.length === 0));
  return { type: 'doc', version: 1, content: content.length > 0 ? content : [paragraph()] };
}

// Bidi embeddings, overrides and isolates could make text read differently from what it says.
const bidiControls = /[\u202A-\u202E\u2066-\u2069]/g;

/** Well-formed text without control characters other than newline and tab. */
export function cleanText(value: string): string {
  return value
    .toWellFormed()
    .replace(/\r\n?/g, '\n')
    .replace(bidiControls, '')
    .replace(/[^\P{Cc}\n\t]/gu, '');
}

export function oneLine(value: string): string {
  return cleanText(value).replace(/\s+/g, ' ').trim();
}

/** At most `max` UTF-16 code units (Jira counts Java characters), never splitting a surrogate pair. */
export function clip(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = max - 1;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${value.slice(0, end)}…`;
}

/** How long the document is as Jira receives it (the JSON text). */
export function adfLength(node: AdfDoc | AdfBlock): number {
  return JSON.stringify(node).length;
}
