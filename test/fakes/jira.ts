/**
 * Loopback fake of the Jira Cloud REST API v3 endpoints the Jira alert destination uses
 * (https://developer.atlassian.com/cloud/jira/platform/rest/v3/):
 * - `POST /rest/api/3/issue` → 201 `{id, key, self}`;
 * - `POST /rest/api/3/issue/{key}/comment` → 201 with the comment;
 * - `GET /rest/api/3/issue/{key}/transitions` → `{expand, transitions: [{id, name, to}]}`;
 * - `POST /rest/api/3/issue/{key}/transitions` `{transition: {id}}` → 204.
 *
 * Auth: `Basic base64(email:token)` (https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/)
 * or `Bearer <token>`; 401 otherwise. Errors use Jira's shape `{errorMessages: [...], errors: {field: message}}`;
 * 404 "Issue does not exist or you do not have permission to see it." for an unknown issue.
 *
 * Issue creation checks what Jira is documented or widely observed to reject: an unknown project, issue type or
 * priority name, a summary that is missing, longer than 255 characters or has a newline, labels with spaces or
 * longer than 255, fields it does not know, and a description or comment body that is not valid ADF
 * ("Operation value must be an Atlassian Document (see the Atlassian Document Format)") or whose JSON is longer
 * than 32,767 characters. The ADF check (validateAdf) follows the node and mark reference of
 * https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/ for the nodes it knows and
 * rejects any other node type, attribute or property, as the JSON schema's `additionalProperties: false` does.
 *
 * Workflow: To Do → In Progress → Done; every issue can move to any status but its own (transition ids 11, 21,
 * 31, as in Jira's simplified workflow).
 * Admin: POST /__fake/reset, /__fake/issues (all issues with status and comments), /__fake/fail, GET /__fake/requests.
 */
import type { ServerResponse } from 'node:http';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';

export const jiraFakeEmail = 'mantissa-bot@example.com';
export const jiraFakeApiToken = 'ATATT3xFfGF0-fake-jira-api-token';
export const jiraFakeProjectKey = 'SEC';
export const jiraFakeIssueTypes = ['Task', 'Bug'] as const;
export const jiraFakePriorities = ['Highest', 'High', 'Medium', 'Low', 'Lowest'] as const;

export interface JiraFakeIssue {
  id: string;
  key: string;
  fields: Record<string, unknown>;
  status: string;
  comments: { id: string; body: unknown }[];
  /** Transition names applied, in order. */
  transitions: string[];
}

const workflow = [
  { id: '11', name: 'To Do', category: 'new' },
  { id: '21', name: 'In Progress', category: 'indeterminate' },
  { id: '31', name: 'Done', category: 'done' },
];
const settableFields = new Set(['project', 'issuetype', 'summary', 'priority', 'labels', 'description']);
const adfMessage = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
const notFound = { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} };

export async function startJiraFake(): Promise<RunningFake> {
  let issues: JiraFakeIssue[] = [];
  let comments = 0;
  const basic = `Basic ${Buffer.from(`${jiraFakeEmail}:${jiraFakeApiToken}`).toString('base64')}`;

  return startFakeServer(
    (req, res, url) => {
      const auth = req.headers.authorization;
      if (auth !== basic && auth !== `Bearer ${jiraFakeApiToken}`) {
        return sendJson(res, 401, { errorMessages: ['Client must be authenticated to access this resource.'], errors: {} });
      }
      const path = url.pathname;
      if (path === '/rest/api/3/issue' && req.method === 'POST') {
        const body = parseJson(req.body);
        if (!body) return sendJson(res, 400, { errorMessages: ['Unexpected character in the request body: it is not JSON.'], errors: {} });
        const fields = (body as { fields?: unknown }).fields;
        if (!isObject(fields)) return sendJson(res, 400, { errorMessages: ['Issue must have the fields property.'], errors: {} });
        const errors = validateIssueFields(fields);
        if (Object.keys(errors).length > 0) return sendJson(res, 400, { errorMessages: [], errors });
        const n = issues.length + 1;
        const issue: JiraFakeIssue = { id: String(10000 + n), key: `${jiraFakeProjectKey}-${n}`, fields, status: 'To Do', comments: [], transitions: [] };
        issues.push(issue);
        return sendJson(res, 201, { id: issue.id, key: issue.key, self: `http://${req.headers.host}/rest/api/3/issue/${issue.id}` });
      }
      const match = /^\/rest\/api\/3\/issue\/([^/]+)\/(comment|transitions)$/.exec(path);
      if (!match) return sendJson(res, 404, { errorMessages: ['Not found'], errors: {} });
      const idOrKey = decodeURIComponent(match[1]!);
      const issue = issues.find((i) => i.key === idOrKey || i.id === idOrKey);
      if (!issue) return sendJson(res, 404, notFound);

      if (match[2] === 'comment' && req.method === 'POST') {
        const body = parseJson(req.body) as { body?: unknown } | null;
        const problem = body ? textFieldProblem(body.body) : 'the request body is not JSON';
        if (problem) return sendJson(res, 400, { errorMessages: [], errors: { comment: problem } });
        const comment = { id: String(20000 + ++comments), body: body!.body };
        issue.comments.push(comment);
        return sendJson(res, 201, { ...comment, self: `http://${req.headers.host}/rest/api/3/issue/${issue.id}/comment/${comment.id}`, created: new Date().toISOString() });
      }
      if (match[2] === 'transitions' && req.method === 'GET') {
        const host = req.headers.host;
        return sendJson(res, 200, {
          expand: 'transitions',
          transitions: workflow
            .filter((t) => t.name !== issue.status)
            .map((t) => ({ id: t.id, name: t.name, to: { self: `http://${host}/rest/api/3/status/${t.id}`, name: t.name, id: t.id, statusCategory: { key: t.category } }, hasScreen: false, isGlobal: true, isInitial: false, isConditional: false })),
        });
      }
      if (match[2] === 'transitions' && req.method === 'POST') {
        const id = (parseJson(req.body) as { transition?: { id?: unknown } } | null)?.transition?.id;
        const transition = workflow.find((t) => t.id === String(id) && t.name !== issue.status);
        if (!transition) return sendJson(res, 400, { errorMessages: [`Transition id '${String(id)}' is not valid for this issue.`], errors: {} });
        issue.status = transition.name;
        issue.transitions.push(transition.name);
        return noContent(res);
      }
      return sendJson(res, 405, { errorMessages: ['Method Not Allowed'], errors: {} });
    },
    (action) => {
      if (action === 'reset') {
        issues = [];
        comments = 0;
      }
      return action === 'issues' || action === 'reset' ? issues : { unknown: action };
    },
  );
}

function validateIssueFields(fields: Record<string, unknown>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const name of Object.keys(fields)) {
    if (!settableFields.has(name)) errors[name] = `Field '${name}' cannot be set. It is not on the appropriate screen, or unknown.`;
  }
  const project = fields.project as { key?: unknown } | undefined;
  if (!isObject(project) || project.key !== jiraFakeProjectKey) errors.project = 'Specify a valid project ID or key';
  const issueType = fields.issuetype as { name?: unknown } | undefined;
  if (!isObject(issueType) || !jiraFakeIssueTypes.includes(issueType.name as (typeof jiraFakeIssueTypes)[number])) errors.issuetype = 'Specify a valid issue type';
  const summary = fields.summary;
  if (typeof summary !== 'string' || summary.trim() === '') errors.summary = 'You must specify a summary of the issue.';
  else if (summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
  else if (/[\r\n]/.test(summary)) errors.summary = 'The summary is invalid because it contains newline characters.';
  if (fields.priority !== undefined) {
    const name = (fields.priority as { name?: unknown } | null)?.name;
    if (!jiraFakePriorities.includes(name as (typeof jiraFakePriorities)[number])) errors.priority = `Specify a valid value for priority (got '${String(name)}')`;
  }
  if (fields.labels !== undefined) {
    const labels = fields.labels;
    if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string')) errors.labels = 'Labels must be a list of strings';
    else {
      const spaced = labels.find((l: string) => l === '' || /\s/.test(l));
      const long = labels.find((l: string) => l.length > 255);
      if (spaced !== undefined) errors.labels = `The label '${spaced}' contains spaces which is invalid.`;
      else if (long !== undefined) errors.labels = `The label '${long.slice(0, 20)}…' exceeds the 255 character limit.`;
    }
  }
  if (fields.description !== undefined) {
    const problem = textFieldProblem(fields.description);
    if (problem) errors.description = problem;
  }
  return errors;
}

function textFieldProblem(value: unknown): string | null {
  if (validateAdf(value) !== null) return adfMessage;
  if (JSON.stringify(value).length > 32_767) return 'The entered text is too long. It exceeds the allowed limit of 32,767 characters.';
  return null;
}

/** Why `value` is not a valid ADF document (as far as the nodes below go), or null when it is. */
export function validateAdf(value: unknown): string | null {
  if (!isObject(value)) return 'the document is not an object';
  const extra = Object.keys(value).filter((k) => !['type', 'version', 'content'].includes(k));
  if (value.type !== 'doc' || value.version !== 1 || !Array.isArray(value.content) || extra.length > 0) return 'the root must be {type: "doc", version: 1, content: [...]}';
  for (const node of value.content) {
    const problem = checkNode(node, topLevel, 'doc');
    if (problem) return problem;
  }
  return null;
}

const topLevel = ['paragraph', 'heading', 'bulletList', 'orderedList', 'codeBlock', 'blockquote', 'rule', 'panel', 'table'];
const inline = ['text', 'hardBreak'];
const listItemContent = ['paragraph', 'bulletList', 'orderedList', 'codeBlock'];
const cellContent = ['paragraph', 'heading', 'bulletList', 'orderedList', 'codeBlock', 'blockquote', 'rule', 'panel'];
const markTypes = ['strong', 'em', 'strike', 'code', 'underline', 'link', 'textColor', 'subsup'];

interface NodeRule {
  readonly keys: readonly string[];
  readonly content?: readonly string[];
  readonly minContent?: number;
  readonly attrs?: (attrs: Record<string, unknown>) => boolean;
}

const nodeRules: Record<string, NodeRule> = {
  paragraph: { keys: ['content', 'attrs'], content: inline, attrs: (a) => onlyKeys(a, ['localId']) },
  heading: { keys: ['content', 'attrs'], content: inline, attrs: (a) => onlyKeys(a, ['level', 'localId']) && Number.isInteger(a.level) && (a.level as number) >= 1 && (a.level as number) <= 6 },
  bulletList: { keys: ['content', 'attrs'], content: ['listItem'], minContent: 1, attrs: (a) => onlyKeys(a, ['localId']) },
  orderedList: { keys: ['content', 'attrs'], content: ['listItem'], minContent: 1, attrs: (a) => onlyKeys(a, ['order', 'localId']) && (a.order === undefined || (Number.isInteger(a.order) && (a.order as number) >= 0)) },
  listItem: { keys: ['content', 'attrs'], content: listItemContent, minContent: 1, attrs: (a) => onlyKeys(a, ['localId']) },
  codeBlock: { keys: ['content', 'attrs'], content: ['text'], attrs: (a) => onlyKeys(a, ['language', 'uniqueId', 'localId']) && (a.language === undefined || typeof a.language === 'string') },
  blockquote: { keys: ['content', 'attrs'], content: ['paragraph', 'bulletList', 'orderedList', 'codeBlock'], minContent: 1, attrs: (a) => onlyKeys(a, ['localId']) },
  rule: { keys: ['attrs'], attrs: (a) => onlyKeys(a, ['localId']) },
  panel: { keys: ['content', 'attrs'], content: ['paragraph', 'heading', 'bulletList', 'orderedList', 'codeBlock'], minContent: 1, attrs: (a) => ['info', 'note', 'warning', 'success', 'error'].includes(a.panelType as string) },
  table: { keys: ['content', 'attrs'], content: ['tableRow'], minContent: 1, attrs: (a) => onlyKeys(a, ['isNumberColumnEnabled', 'layout', 'width', 'displayMode', 'localId']) },
  tableRow: { keys: ['content'], content: ['tableHeader', 'tableCell'], minContent: 1 },
  tableHeader: { keys: ['content', 'attrs'], content: cellContent, minContent: 1, attrs: (a) => onlyKeys(a, ['colspan', 'rowspan', 'colwidth', 'background', 'localId']) },
  tableCell: { keys: ['content', 'attrs'], content: cellContent, minContent: 1, attrs: (a) => onlyKeys(a, ['colspan', 'rowspan', 'colwidth', 'background', 'localId']) },
  hardBreak: { keys: ['attrs'], attrs: (a) => onlyKeys(a, ['text']) && (a.text === undefined || a.text === '\n') },
};

function checkNode(node: unknown, allowed: readonly string[], parent: string): string | null {
  if (!isObject(node) || typeof node.type !== 'string') return `a node in ${parent} has no type`;
  if (!allowed.includes(node.type)) return `${node.type} is not allowed in ${parent}`;
  if (node.type === 'text') return checkText(node, parent);
  const rule = nodeRules[node.type]!;
  const extra = Object.keys(node).filter((k) => k !== 'type' && !rule.keys.includes(k));
  if (extra.length > 0) return `${node.type} has unknown properties ${extra.join(', ')}`;
  if (node.attrs !== undefined && (!isObject(node.attrs) || !rule.attrs?.(node.attrs))) return `${node.type} has invalid attrs`;
  if (node.type === 'heading' && !isObject(node.attrs)) return 'heading needs attrs.level';
  if (node.type === 'panel' && !isObject(node.attrs)) return 'panel needs attrs.panelType';
  if (node.content === undefined) return rule.minContent ? `${node.type} needs content` : null;
  if (!rule.content || !Array.isArray(node.content)) return `${node.type} has invalid content`;
  if (node.content.length < (rule.minContent ?? 0)) return `${node.type} needs at least ${rule.minContent} child nodes`;
  if (node.type === 'listItem' && ['bulletList', 'orderedList'].includes((node.content[0] as { type?: string } | undefined)?.type ?? '')) return 'a listItem must start with a paragraph or codeBlock';
  for (const child of node.content) {
    const problem = checkNode(child, rule.content, node.type);
    if (problem) return problem;
    if (node.type === 'codeBlock' && (child as { marks?: unknown }).marks !== undefined) return 'text in a codeBlock cannot have marks';
  }
  return null;
}

function checkText(node: Record<string, unknown>, parent: string): string | null {
  const extra = Object.keys(node).filter((k) => !['type', 'text', 'marks'].includes(k));
  if (extra.length > 0) return `text has unknown properties ${extra.join(', ')}`;
  if (typeof node.text !== 'string' || node.text === '') return `an empty text node in ${parent}`;
  if (node.marks === undefined) return null;
  if (!Array.isArray(node.marks)) return 'marks must be a list';
  const types = node.marks.map((m) => (isObject(m) ? m.type : undefined));
  if (types.some((t) => typeof t !== 'string' || !markTypes.includes(t))) return `unknown mark in ${parent}`;
  if (new Set(types).size !== types.length) return 'a mark appears twice on one text node';
  // code is a CodeTextMark: it combines with link only.
  if (types.includes('code') && types.some((t) => t !== 'code' && t !== 'link')) return 'the code mark only combines with link';
  for (const mark of node.marks as Record<string, unknown>[]) {
    const attrs = mark.attrs;
    if (Object.keys(mark).some((k) => k !== 'type' && k !== 'attrs')) return `the ${String(mark.type)} mark has unknown properties`;
    if (mark.type === 'link' && !(isObject(attrs) && typeof attrs.href === 'string' && attrs.href !== '' && onlyKeys(attrs, ['href', 'title', 'id', 'collection', 'occurrenceKey']))) return 'a link mark needs attrs.href';
    if (mark.type !== 'link' && !['textColor', 'subsup'].includes(mark.type as string) && attrs !== undefined) return `the ${String(mark.type)} mark takes no attrs`;
  }
  return null;
}

function onlyKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(value).every((k) => keys.includes(k));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return null;
  }
}

function noContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}
