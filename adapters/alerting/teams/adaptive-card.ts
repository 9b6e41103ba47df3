/**
 * The part of the Adaptive Card format (https://adaptivecards.io/explorer/, schema 1.4) that alert cards use,
 * the Teams webhook envelope around it, and the text operations every card string goes through.
 *
 * Envelope (https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#send-adaptive-cards-using-an-incoming-webhook):
 * `{"type": "message", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
 * "contentUrl": null, "content": <card>}]}` — the same for a Workflows webhook ("When a Teams webhook request
 * is received") and a legacy Office 365 connector. Incoming webhooks support `Action.OpenUrl`,
 * `Action.ShowCard` and `Action.ToggleVisibility`, not `Action.Submit`.
 *
 * Text: TextBlock and FactSet text is Markdown (a subset: bold, italic, lists, links), and HTML is shown as
 * plain text ("HTML is ignored and treated as plain text",
 * https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook).
 * Mentions need `msteams.entities`, which we never send, so text cannot ping anyone. What content *can* do is
 * form a Markdown link (`[Reset your password](https://evil)`) or emphasis, so content is backslash-escaped.
 */

export interface TextBlock {
  readonly type: 'TextBlock';
  readonly text: string;
  readonly wrap?: boolean;
  readonly size?: 'Small' | 'Default' | 'Medium' | 'Large' | 'ExtraLarge';
  readonly weight?: 'Lighter' | 'Default' | 'Bolder';
  readonly color?: 'Default' | 'Dark' | 'Light' | 'Accent' | 'Good' | 'Warning' | 'Attention';
  readonly isSubtle?: boolean;
  readonly fontType?: 'Default' | 'Monospace';
  readonly spacing?: 'None' | 'Small' | 'Default' | 'Medium' | 'Large';
  readonly separator?: boolean;
}

export interface Fact {
  readonly title: string;
  readonly value: string;
}

export interface FactSet {
  readonly type: 'FactSet';
  readonly facts: readonly Fact[];
  readonly spacing?: TextBlock['spacing'];
}

export interface Container {
  readonly type: 'Container';
  readonly items: readonly CardElement[];
  readonly style?: 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';
  readonly bleed?: boolean;
  readonly spacing?: TextBlock['spacing'];
  readonly separator?: boolean;
}

export type CardElement = TextBlock | FactSet | Container;

export interface OpenUrlAction {
  readonly type: 'Action.OpenUrl';
  readonly title: string;
  readonly url: string;
}

export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  /** 1.4: supported by Teams on desktop, web and mobile (Teams renders up to 1.5 for bots, less for some hosts). */
  readonly version: '1.4';
  readonly body: readonly CardElement[];
  readonly actions?: readonly OpenUrlAction[];
  /** Teams extension: use the full width of the channel. */
  readonly msteams?: { readonly width: 'Full' };
}

export interface TeamsMessage {
  readonly type: 'message';
  readonly attachments: readonly [{ readonly contentType: 'application/vnd.microsoft.card.adaptive'; readonly contentUrl: null; readonly content: AdaptiveCard }];
}

export function teamsMessage(card: AdaptiveCard): TeamsMessage {
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] };
}

/**
 * "The message size limit is 28 KB. When the size exceeds 28 KB, you receive an error." (add-incoming-webhook,
 * URL above.) The page does not say whether KB is 1000 or 1024 bytes nor whether the envelope counts, and
 * users report Workflows refusing payloads a little under it; we keep the whole envelope, UTF-8 encoded, under
 * 20,000 bytes.
 */
export const teamsDocumentedLimitBytes = 28_000;
export const teamsPayloadBudgetBytes = 20_000;

const encoder = new TextEncoder();

/** The size Teams measures: the JSON we send, in UTF-8 bytes. */
export function payloadBytes(message: TeamsMessage): number {
  return encoder.encode(JSON.stringify(message)).length;
}

/**
 * Content as literal card text: Markdown punctuation is backslash-escaped (so no link, emphasis or code can be
 * formed: a link needs `[…](…)`, and brackets are escaped), and line-leading list/heading/quote markers too.
 */
export function escapeCardText(value: string): string {
  return value
    .replace(/[\\*_[\]`~]/g, '\\$&')
    .replace(/^(\s*)([#>+-])/gm, '$1\\$2')
    .replace(/^(\s*\d+)\.(\s)/gm, '$1\\.$2');
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

/** `content` cleaned and escaped, then cut so the escaped text has at most `max` UTF-16 units; never splits a surrogate pair or an escape. */
export function fitCardText(content: string, max: number): string {
  const raw = cleanText(content);
  const escaped = escapeCardText(raw);
  if (escaped.length <= max) return escaped;
  if (max <= 0) return '';
  let keep = Math.min(raw.length, max - ellipsis.length);
  for (;;) {
    const candidate = escapeCardText(cutAt(raw, keep)) + ellipsis;
    if (candidate.length <= max || keep <= 0) return candidate.length <= max ? candidate : '';
    keep -= candidate.length - max;
  }
}

function cutAt(value: string, units: number): string {
  if (units <= 0) return '';
  let end = Math.min(units, value.length);
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  let out = value.slice(0, end);
  while (out.endsWith('\u200d')) out = out.slice(0, -1);
  return out;
}
