/**
 * Loopback fake of the two kinds of Microsoft Teams webhook the Teams alert destination posts to:
 *
 * - A Workflows webhook ("When a Teams webhook request is received", Power Automate):
 *   `POST /workflows/<id>[/triggers/manual/paths/invoke]?api-version=…&sp=…&sv=1.0&sig=<signature>` →
 *   `202 Accepted`, empty body. An unknown workflow is 404, a missing or wrong `sig` 401, with the Logic Apps
 *   error shape `{"error": {"code", "message"}}`.
 * - A legacy Office 365 connector: `POST /webhookb2/<…>/IncomingWebhook/<…>` → `200` with body `1`; like the
 *   real connectors it reports throttling and oversize *inside a 200* ("Microsoft Teams endpoint returned HTTP
 *   error 429 …", https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#rate-limiting-for-connectors).
 *
 * Both validate the message envelope (https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#send-adaptive-cards-using-an-incoming-webhook):
 * `type: "message"`, exactly one attachment of `contentType: application/vnd.microsoft.card.adaptive` whose
 * `content` is `{type: "AdaptiveCard", version: "1.x", body: [...]}` with known element types, `Action.OpenUrl`
 * needing an http(s) `url`, and no `Action.Submit` (unsupported in webhooks); and the size: over 28,000 bytes
 * ("The message size limit is 28 KB", read as the stricter 1000-byte KB) is 413. Strings with a lone
 * surrogate are refused. Workflows answer such errors 400/413 here; the real service may instead accept with
 * 202 and fail the flow run (visible only in its run history), which a fake cannot show.
 *
 * Admin: POST /__fake/reset, /__fake/throttle {times, retryAfterSeconds} (Workflows: 429 + Retry-After;
 * legacy: 200 with the 429 text), GET /__fake/cards (accepted cards), /__fake/fail, GET /__fake/requests.
 */
import type { ServerResponse } from 'node:http';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';

export const teamsFakeWorkflowId = '5f0c9e7a2b6d4c1e8a3f90b7d2e4c6a1';
export const teamsFakeSignature = 'fakeSig0123456789abcdefABCDEF_-0123456789ab';
export const teamsFakeLegacyPath = '/webhookb2/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b@72f988bf-86f1-41af-91ab-2d7cd011db47/IncomingWebhook/3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f/9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4';
export const teamsSizeLimitBytes = 28_000;

/** The webhook URL a Workflows trigger hands out, on the fake's origin. */
export function teamsFakeWorkflowUrl(origin: string, workflowId = teamsFakeWorkflowId, signature = teamsFakeSignature): string {
  const url = new URL(`/workflows/${workflowId}/triggers/manual/paths/invoke`, origin);
  url.searchParams.set('api-version', '2016-06-01');
  url.searchParams.set('sp', '/triggers/manual/run');
  url.searchParams.set('sv', '1.0');
  url.searchParams.set('sig', signature);
  return url.toString();
}

const knownElements = new Set(['TextBlock', 'FactSet', 'Container', 'ColumnSet', 'Column', 'Image', 'ImageSet', 'RichTextBlock', 'ActionSet', 'Table']);
const webhookActions = new Set(['Action.OpenUrl', 'Action.ShowCard', 'Action.ToggleVisibility']);

export async function startTeamsFake(): Promise<RunningFake> {
  let cards: { via: 'workflow' | 'legacy'; card: Record<string, unknown> }[] = [];
  let throttle: { times: number; retryAfterSeconds: number } | null = null;
  const throttled = () => {
    if (!throttle || throttle.times <= 0) return null;
    throttle.times--;
    return throttle;
  };

  return startFakeServer(
    (req, res, url) => {
      if (req.method === 'POST' && url.pathname === teamsFakeLegacyPath) {
        const context = 'ContextId: tcid=0,server=fake-msgapi,cv=fake';
        if (throttled()) return sendText(res, 200, `Microsoft Teams endpoint returned HTTP error 429 with ${context}`);
        if (Buffer.byteLength(req.body) > teamsSizeLimitBytes) return sendText(res, 200, `Microsoft Teams endpoint returned HTTP error 413 with ${context}`);
        const checked = checkMessage(req.body);
        if (typeof checked === 'string') return sendText(res, 400, `Bad payload received by generic incoming webhook. (${checked})`);
        cards.push({ via: 'legacy', card: checked });
        return sendText(res, 200, '1');
      }

      const workflow = /^\/workflows\/([0-9a-f]{32})(?:\/triggers\/manual\/paths\/invoke)?$/.exec(url.pathname)?.[1];
      if (req.method !== 'POST' || !workflow) return sendJson(res, 404, { error: { code: 'NotFound', message: `No route for ${req.method} ${url.pathname}.` } });
      const limited = throttled();
      if (limited) {
        return sendJson(res, 429, { error: { code: 'WorkflowTriggerIsThrottled', message: 'The workflow trigger is throttled. Retry after the indicated time.' } }, { 'retry-after': String(limited.retryAfterSeconds) });
      }
      if (workflow !== teamsFakeWorkflowId) return sendJson(res, 404, { error: { code: 'WorkflowNotFound', message: `The workflow '${workflow}' could not be found.` } });
      if (url.searchParams.get('sig') !== teamsFakeSignature) {
        return sendJson(res, 401, { error: { code: 'DirectApiInvalidAuthorizationSignature', message: 'The provided request has an invalid authorization signature.' } });
      }
      if (Buffer.byteLength(req.body) > teamsSizeLimitBytes) {
        return sendJson(res, 413, { error: { code: 'RequestEntityTooLarge', message: 'The payload is too large. Please make sure the size is less than 28KB.' } });
      }
      const checked = checkMessage(req.body);
      if (typeof checked === 'string') return sendJson(res, 400, { error: { code: 'InvalidRequestContent', message: checked } });
      cards.push({ via: 'workflow', card: checked });
      res.writeHead(202);
      res.end();
    },
    (action, body) => {
      if (action === 'reset') {
        cards = [];
        throttle = null;
        return { ok: true };
      }
      if (action === 'throttle') {
        const b = body as { times?: number; retryAfterSeconds?: number } | null;
        throttle = { times: b?.times ?? 1, retryAfterSeconds: b?.retryAfterSeconds ?? 1 };
        return { ok: true };
      }
      if (action === 'cards') return cards;
      return { ok: false, error: `unknown admin action ${action}` };
    },
  );
}

/** The card of a valid message envelope, or what is wrong with it. */
export function checkMessage(raw: string): Record<string, unknown> | string {
  let message: unknown;
  try {
    message = JSON.parse(raw);
  } catch {
    return 'The request content is not valid JSON.';
  }
  if (!isObject(message)) return 'The message must be a JSON object.';
  if (message.type !== 'message') return "The message 'type' must be 'message'.";
  if (!Array.isArray(message.attachments) || message.attachments.length !== 1) return "The message must have exactly one entry in 'attachments'.";
  const attachment: unknown = message.attachments[0];
  if (!isObject(attachment) || attachment.contentType !== 'application/vnd.microsoft.card.adaptive') {
    return "The attachment 'contentType' must be 'application/vnd.microsoft.card.adaptive'.";
  }
  const card = attachment.content;
  if (!isObject(card) || card.type !== 'AdaptiveCard') return "The attachment 'content' must be an AdaptiveCard.";
  if (typeof card.version !== 'string' || !/^1\.[0-5]$/.test(card.version)) return "The card 'version' must be 1.0 to 1.5.";
  if (!Array.isArray(card.body) || card.body.length === 0) return "The card 'body' must be a non-empty array.";
  const problem = checkElements(card.body, '/body') ?? checkActions(card.actions) ?? checkStrings(card, '');
  return problem ?? card;
}

function checkElements(elements: unknown[], at: string): string | null {
  for (const [i, element] of elements.entries()) {
    const path = `${at}/${i}`;
    if (!isObject(element) || typeof element.type !== 'string' || !knownElements.has(element.type)) return `Unknown element type at ${path}.`;
    if (element.type === 'TextBlock' && (typeof element.text !== 'string' || element.text === '')) return `TextBlock at ${path} needs a non-empty 'text'.`;
    if (element.type === 'FactSet') {
      if (!Array.isArray(element.facts) || !element.facts.every((f) => isObject(f) && typeof f.title === 'string' && typeof f.value === 'string')) {
        return `FactSet at ${path} needs 'facts' of {title, value} strings.`;
      }
    }
    if (element.type === 'Container') {
      if (!Array.isArray(element.items)) return `Container at ${path} needs 'items'.`;
      const inner = checkElements(element.items, `${path}/items`);
      if (inner) return inner;
    }
  }
  return null;
}

function checkActions(actions: unknown): string | null {
  if (actions === undefined) return null;
  if (!Array.isArray(actions)) return "The card 'actions' must be an array.";
  for (const [i, action] of actions.entries()) {
    if (!isObject(action) || typeof action.type !== 'string' || !webhookActions.has(action.type)) return `Action at /actions/${i} is not supported in a webhook card.`;
    if (action.type === 'Action.OpenUrl' && !(typeof action.url === 'string' && /^https?:\/\//.test(action.url))) return `Action.OpenUrl at /actions/${i} needs an http(s) 'url'.`;
  }
  return null;
}

function checkStrings(value: unknown, at: string): string | null {
  if (typeof value === 'string') return value.isWellFormed() ? null : `Invalid Unicode (a lone surrogate) at ${at || '/'}.`;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const problem = checkStrings(item, `${at}/${i}`);
      if (problem) return problem;
    }
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const problem = checkStrings(item, `${at}/${key}`);
      if (problem) return problem;
    }
  }
  return null;
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
