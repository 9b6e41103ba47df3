/**
 * Loopback fake of the ServiceNow Table API for the `incident` table
 * (https://docs.servicenow.com/bundle/utah-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html):
 * - `GET /api/now/table/incident?sysparm_query=…&sysparm_limit=…&sysparm_fields=…` → 200 `{result: [...]}`;
 * - `POST /api/now/table/incident` → 201 `{result: {...}}` with a Location header;
 * - `PATCH` (or `PUT`) `/api/now/table/incident/{sys_id}` → 200 `{result: {...}}`;
 * - `GET /api/now/table/incident/{sys_id}` → 200 `{result: {...}}`.
 * Errors use ServiceNow's envelope `{error: {message, detail}, status: "failure"}`: 401 "User Not Authenticated" /
 * "Required to provide Auth information", 404 "No Record found", 403 "Operation Failed" with a
 * "Data Policy Exception" when an incident is set to Resolved (6) or Closed (7) without close_code and
 * close_notes (the base system's data policy), 400 for a body that is not JSON.
 *
 * Auth: `Basic base64(user:password)` or `Bearer <OAuth token>`.
 *
 * Stricter than an instance, on purpose, so tests catch what an instance would silently accept or alter:
 * unknown fields (ServiceNow ignores them), values longer than the field (ServiceNow truncates them),
 * impact/urgency outside 1–3 and unknown states (ServiceNow stores any choice value) and reference fields that
 * are not sys_ids all answer 400. The encoded query supports only `field=value` and `field!=value` terms
 * joined by `^`; anything else answers 400 instead of ServiceNow's "ignore the invalid part" behaviour.
 *
 * Records get a random sys_id, a number INC0010001…, state 1 (New), active "true" (false once Closed or
 * Canceled), and priority from the base impact × urgency lookup. work_notes accumulate as a journal.
 * Admin: POST /__fake/reset, /__fake/incidents (all records, oldest first), /__fake/fail, GET /__fake/requests.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';

export const serviceNowFakeUser = 'mantissa.integration';
export const serviceNowFakePassword = 'fake-Sn-passw0rd!ü';
export const serviceNowFakeOAuthToken = 'fake-servicenow-oauth-access-token';

export type ServiceNowFakeIncident = Record<string, string> & { sys_id: string; number: string; work_notes_journal: string };

const maxLength: Record<string, number> = {
  short_description: 160,
  description: 4000,
  impact: 40,
  urgency: 40,
  correlation_id: 100,
  correlation_display: 100,
  caller_id: 32,
  assignment_group: 32,
  category: 40,
  state: 40,
  work_notes: 4000,
  comments: 4000,
  close_code: 40,
  close_notes: 4000,
};
const levels = ['1', '2', '3'];
const states = ['1', '2', '3', '6', '7', '8'];
// The base system's Priority lookup: impact × urgency → priority.
const priority: Record<string, string> = { '11': '1', '12': '2', '13': '3', '21': '2', '22': '3', '23': '4', '31': '3', '32': '4', '33': '5' };

function failure(res: ServerResponse, status: number, message: string, detail: string | null): void {
  sendJson(res, status, { error: { message, detail }, status: 'failure' });
}

export async function startServiceNowFake(): Promise<RunningFake> {
  let incidents: ServiceNowFakeIncident[] = [];
  const basic = `Basic ${Buffer.from(`${serviceNowFakeUser}:${serviceNowFakePassword}`).toString('base64')}`;

  return startFakeServer(
    (req, res, url) => {
      const auth = req.headers.authorization;
      if (auth !== basic && auth !== `Bearer ${serviceNowFakeOAuthToken}`) return failure(res, 401, 'User Not Authenticated', 'Required to provide Auth information');
      const match = /^\/api\/now\/table\/incident(?:\/([^/]+))?$/.exec(url.pathname);
      if (!match) return failure(res, 400, 'Requested URI does not represent any resource', `${url.pathname}`);
      const fields = url.searchParams.get('sysparm_fields')?.split(',').map((f) => f.trim()).filter(Boolean) ?? null;
      const view = (record: ServiceNowFakeIncident) => {
        const { work_notes_journal: _journal, ...shown } = record;
        return fields ? Object.fromEntries(fields.map((f) => [f, shown[f] ?? ''])) : shown;
      };
      const sysId = match[1];

      if (!sysId && req.method === 'GET') {
        const terms = parseQuery(url.searchParams.get('sysparm_query') ?? '');
        if (!terms) return failure(res, 400, 'fake: unsupported encoded query', url.searchParams.get('sysparm_query'));
        const limit = Number(url.searchParams.get('sysparm_limit') ?? 10_000);
        const matching = incidents.filter((r) => terms.every((t) => (t.op === '=' ? (r[t.field] ?? '') === t.value : (r[t.field] ?? '') !== t.value)));
        return sendJson(res, 200, { result: matching.slice(0, limit).map(view) });
      }
      if (!sysId && req.method === 'POST') {
        const body = parseBody(req.body);
        if (!body) return failure(res, 400, 'Exception while reading request', 'The payload is not valid JSON.');
        const problem = validateFields(body) ?? (body.short_description ? null : 'Data Policy Exception: Short description is mandatory');
        if (problem) return failure(res, problem.startsWith('Data Policy') ? 403 : 400, problem.startsWith('Data Policy') ? 'Operation Failed' : 'Invalid field value', problem);
        const n = incidents.length + 1;
        const record: ServiceNowFakeIncident = {
          sys_id: randomBytes(16).toString('hex'),
          number: `INC${String(10000 + n).padStart(7, '0')}`,
          state: '1',
          active: 'true',
          impact: '3',
          urgency: '3',
          sys_created_on: new Date().toISOString().replace('T', ' ').slice(0, 19),
          work_notes_journal: '',
          ...applyFields({}, body),
        };
        record.priority = priority[`${record.impact}${record.urgency}`]!;
        incidents.push(record);
        res.setHeader('location', `http://${req.headers.host}/api/now/table/incident/${record.sys_id}`);
        return sendJson(res, 201, { result: view(record) });
      }
      const record = incidents.find((r) => r.sys_id === sysId);
      if (!record) return failure(res, 404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval");
      if (req.method === 'GET') return sendJson(res, 200, { result: view(record) });
      if (req.method === 'PATCH' || req.method === 'PUT') {
        const body = parseBody(req.body);
        if (!body) return failure(res, 400, 'Exception while reading request', 'The payload is not valid JSON.');
        const problem = validateFields(body);
        if (problem) return failure(res, 400, 'Invalid field value', problem);
        const next = applyFields({ ...record }, body);
        if ((next.state === '6' || next.state === '7') && !(next.close_code && next.close_notes)) {
          const missing = [...(next.close_code ? [] : ['Resolution code']), ...(next.close_notes ? [] : ['Resolution notes'])];
          return failure(res, 403, 'Operation Failed', `Data Policy Exception: \n\tThe following fields are mandatory: ${missing.join(', ')}\n`);
        }
        Object.assign(record, next);
        record.priority = priority[`${record.impact}${record.urgency}`]!;
        return sendJson(res, 200, { result: view(record) });
      }
      return failure(res, 405, 'Method not Supported', `${req.method} is not supported on this resource`);
    },
    (action) => {
      if (action === 'reset') incidents = [];
      return action === 'incidents' || action === 'reset' ? incidents : { unknown: action };
    },
  );
}

function parseQuery(query: string): { field: string; op: '=' | '!='; value: string }[] | null {
  if (query === '') return [];
  const terms = [];
  for (const term of query.split('^')) {
    const m = /^([a-z_][a-z0-9_.]*)(!=|=)(.*)$/.exec(term);
    if (!m || m[3]!.includes('^')) return null;
    terms.push({ field: m[1]!, op: m[2] as '=' | '!=', value: m[3]! });
  }
  return terms;
}

function parseBody(body: string): Record<string, unknown> | null {
  try {
    const parsed = JSON.parse(body) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function validateFields(body: Record<string, unknown>): string | null {
  for (const [field, value] of Object.entries(body)) {
    if (!(field in maxLength)) return `fake: unknown incident field '${field}'`;
    if (typeof value !== 'string' && typeof value !== 'number') return `fake: '${field}' must be a string`;
    const text = String(value);
    if (text.length > maxLength[field]!) return `fake: '${field}' is ${text.length} characters, longer than its ${maxLength[field]}`;
  }
  for (const field of ['impact', 'urgency']) {
    if (body[field] !== undefined && !levels.includes(String(body[field]))) return `fake: '${field}' must be 1, 2 or 3`;
  }
  if (body.state !== undefined && !states.includes(String(body.state))) return `fake: '${String(body.state)}' is not an incident state`;
  for (const field of ['caller_id', 'assignment_group']) {
    if (body[field] !== undefined && !/^[0-9a-f]{32}$/.test(String(body[field]))) return `fake: '${field}' must be a sys_id`;
  }
  return null;
}

function applyFields<T extends Record<string, string>>(record: T, body: Record<string, unknown>): T & Record<string, string> {
  const next: Record<string, string> = { ...record };
  for (const [field, value] of Object.entries(body)) {
    if (field === 'work_notes' || field === 'comments') next.work_notes_journal = `${next.work_notes_journal ?? ''}${next.work_notes_journal ? '\n---\n' : ''}${String(value)}`;
    else next[field] = String(value);
  }
  if (next.state === '7' || next.state === '8') next.active = 'false';
  return next as T & Record<string, string>;
}
