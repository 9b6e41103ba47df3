/**
 * The part of Slack's Block Kit that alert messages use, with Slack's documented limits, and the two text
 * operations every Slack string goes through: mrkdwn escaping and length-safe truncation.
 *
 * `@slack/types` is not a dependency, so these are minimal hand-written types of the wire format:
 * - blocks: https://docs.slack.dev/reference/block-kit/blocks (header, section, context, actions, divider)
 * - text objects: https://docs.slack.dev/reference/block-kit/composition-objects/text-object
 * - escaping: https://docs.slack.dev/messaging/formatting-message-text#escaping — `&`, `<` and `>` are
 *   control characters in text objects (`<!channel>`, `<@U123>`, `<https://x|label>`) and must be sent as
 *   `&amp;`, `&lt;`, `&gt;` when they are content. Only these three; entity-encoding anything else shows the
 *   entity literally.
 *
 * Invariants: lengths are counted in UTF-16 code units, which is never less than the count in code points,
 * so a text that fits here fits Slack whichever of the two it counts; truncation never splits a surrogate
 * pair and never cuts an escape entity in half.
 */

export interface PlainText {
  readonly type: 'plain_text';
  readonly text: string;
  readonly emoji?: boolean;
}

export interface MrkdwnText {
  readonly type: 'mrkdwn';
  readonly text: string;
  readonly verbatim?: boolean;
}

export type TextObject = PlainText | MrkdwnText;

export interface HeaderBlock {
  readonly type: 'header';
  readonly text: PlainText;
}

export interface SectionBlock {
  readonly type: 'section';
  readonly text?: TextObject;
  readonly fields?: readonly TextObject[];
}

export interface ContextBlock {
  readonly type: 'context';
  readonly elements: readonly TextObject[];
}

export interface ButtonElement {
  readonly type: 'button';
  readonly text: PlainText;
  readonly url: string;
  readonly action_id: string;
}

export interface ActionsBlock {
  readonly type: 'actions';
  readonly elements: readonly ButtonElement[];
}

export interface DividerBlock {
  readonly type: 'divider';
}

export type Block = HeaderBlock | SectionBlock | ContextBlock | ActionsBlock | DividerBlock;

/** Slack's documented limits (each block's reference page, URLs above). */
export const slackLimits = {
  /** "You can include up to 50 blocks in each message" (https://docs.slack.dev/reference/block-kit/blocks). */
  blocksPerMessage: 50,
  /** Header block: "Maximum length for the text in this field is 150 characters." */
  headerText: 150,
  /** Section block: text "Maximum length … is 3000 characters". */
  sectionText: 3000,
  /** Section block: fields "Maximum number of items is 10. Maximum length for the text in each item is 2000 characters." */
  sectionFields: 10,
  fieldText: 2000,
  /** Context block: elements "Maximum number of items is 10." */
  contextElements: 10,
  /** Text object: "Maximum length for this field is 3000 characters." */
  textObject: 3000,
  /** Actions block: up to 25 elements; button text max 75 characters, url max 3000 characters. */
  actionsElements: 25,
  buttonText: 75,
  buttonUrl: 3000,
  /**
   * chat.postMessage truncates `text` beyond 40,000 characters
   * (https://api.slack.com/changelog/2018-04-truncating-really-long-messages); a notification fallback needs
   * far less, so ours stays within one text object.
   */
  fallbackText: 3000,
} as const;

/**
 * Slack also refuses messages whose blocks are long in total (`msg_blocks_too_long`) at a threshold it does not
 * document; users report it near 13,000 characters of block text (slackapi/bolt-js#2509). We keep the text of
 * all blocks under this budget.
 */
export const blockTextBudget = 11_000;

/** Escapes the three mrkdwn control characters, so content can never form a mention, link or command. */
export function escapeMrkdwn(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Content made safe to show: lone surrogates become U+FFFD, and control characters (but tab and newline) and
 * bidirectional overrides, which can make text display as something else, are removed.
 */
export function cleanText(value: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return value.toWellFormed().replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, '');
}

const ellipsis = '…';

/** `value` cut to at most `max` UTF-16 units (with a trailing "…" when cut), never inside a surrogate pair. */
export function truncateText(value: string, max: number): string {
  if (value.length <= max) return value;
  if (max <= 0) return '';
  return cutAt(value, max - ellipsis.length) + ellipsis;
}

/**
 * `content` cleaned, escaped for a Slack text object (mrkdwn or plain_text) and cut so the *escaped* text fits `max`: the cut is made in the raw text, so it can
 * never fall inside an `&amp;`.
 */
export function fitMrkdwn(content: string, max: number): string {
  const raw = cleanText(content);
  const escaped = escapeMrkdwn(raw);
  if (escaped.length <= max) return escaped;
  if (max <= 0) return '';
  let keep = Math.min(raw.length, max - ellipsis.length);
  for (;;) {
    const candidate = escapeMrkdwn(cutAt(raw, keep)) + ellipsis;
    if (candidate.length <= max || keep <= 0) return candidate.length <= max ? candidate : '';
    keep -= candidate.length - max;
  }
}

/** The first `units` UTF-16 units of `value`, backing off one unit rather than split a surrogate pair or end on a joiner. */
function cutAt(value: string, units: number): string {
  if (units <= 0) return '';
  let end = Math.min(units, value.length);
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // a high surrogate whose low half would be cut off
  let out = value.slice(0, end);
  // A zero-width joiner left dangling would glue the ellipsis onto half an emoji sequence.
  while (out.endsWith('\u200d')) out = out.slice(0, -1);
  return out;
}

/** The total length of the text a set of blocks carries (what `msg_blocks_too_long` appears to count). */
export function blockTextLength(blocks: readonly Block[]): number {
  let total = 0;
  for (const block of blocks) {
    switch (block.type) {
      case 'header':
        total += block.text.text.length;
        break;
      case 'section':
        total += (block.text?.text.length ?? 0) + (block.fields ?? []).reduce((n, f) => n + f.text.length, 0);
        break;
      case 'context':
        total += block.elements.reduce((n, e) => n + e.text.length, 0);
        break;
      case 'actions':
        total += block.elements.reduce((n, e) => n + e.text.text.length, 0);
        break;
      case 'divider':
        break;
    }
  }
  return total;
}
