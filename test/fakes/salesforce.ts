/**
 * Loopback fake of Salesforce's OAuth 2.0 JWT bearer flow and REST API:
 * - `POST /services/oauth2/token` with `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` and an RS256
 *   `assertion` (https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm): the signature
 *   is checked with the connected app's certificate key, then `iss` (consumer key → `invalid_client_id`), `aud`
 *   (this login URL) and `sub` (the pre-authorized user → `user hasn't approved this consumer`); a bad signature
 *   or an expired assertion is `invalid_grant` / `invalid assertion`. It answers `access_token`, `instance_url`
 *   (this server, unless told otherwise), `id`, `token_type`, `scope`.
 * - `GET /services/data/vXX.X/query?q=<SOQL>` for EventLogFile, LoginHistory and SetupAuditTrail, with the
 *   SOQL shapes the collectors send (`WHERE <field> >= <datetime> … ORDER BY <field> ASC, Id ASC [LIMIT n]`),
 *   in batches (`done`, `nextRecordsUrl` → `GET /services/data/vXX.X/query/<locator>-<offset>`, unknown locator
 *   → INVALID_QUERY_LOCATOR) (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm);
 * - `GET /services/data/vXX.X/sobjects/EventLogFile/<Id>/LogFile` → the file's CSV, header row first.
 * The API wants `Authorization: Bearer <issued token>` (401 `INVALID_SESSION_ID` otherwise). It serves the
 * real samples of the corpus: Cribl's EventLogFile rows (one file per event type, header recovered from Cribl's
 * parse) and Panther's Login / LoginAs rows as CSV files, Cribl's LoginHistory and SetupAuditTrail records —
 * each row or record given a unique id and a recent time.
 * Admin: POST /__fake/credentials (the key pair the connected app trusts, and one it does not), /__fake/reset
 * {count?, batchSize?}, /__fake/add {count} (new records and one new log file), /__fake/instance-url {url},
 * /__fake/revoke (every token issued so far stops working), /__fake/fail, GET /__fake/requests.
 */
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { jwtVerify } from 'jose';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';
import { bearer, corpusRecords, type CorpusRecord } from './saas-corpus';

export const salesforceFakeApp = { consumerKey: '3MVG9fakeConsumerKey0000000000000000000000000000000000', username: 'siem-collector@acme.example' };

const criblKeys = new Set(['_raw', 'host', 'source', '_time', 'cribl_breaker']);

function sfTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** EventLogFile's TIMESTAMP column: yyyyMMddHHmmss.SSS in UTC. */
function elfTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').replace(/Z$/, '');
}

function sfId(prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return prefix + Array.from(randomBytes(15), (b) => alphabet[b % alphabet.length]).join('');
}

function csvCell(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

interface LogFile {
  id: string;
  eventType: string;
  created: number;
  csv: string;
  rows: number;
}

interface StoredRecord {
  at: number;
  record: CorpusRecord;
}

const objectTimeFields: Record<string, string> = { LoginHistory: 'LoginTime', SetupAuditTrail: 'CreatedDate', EventLogFile: 'CreatedDate' };

export async function startSalesforceFake(corpusDir: string): Promise<RunningFake> {
  const rowGroups = new Map<string, CorpusRecord[]>();
  for (const row of [...corpusRecords(corpusDir, 'salesforce', (f) => f.includes('eventlogfile.cribl-parsed')), ...corpusRecords(corpusDir, 'salesforce', (f) => f.startsWith('panther-analysis'))]) {
    const columns = Object.fromEntries(Object.entries(row).filter(([k]) => !criblKeys.has(k)));
    const type = String(columns.EVENT_TYPE);
    rowGroups.set(type, [...(rowGroups.get(type) ?? []), columns]);
  }
  const loginPool = corpusRecords(corpusDir, 'salesforce', (f) => f.includes('loginhistory'));
  const auditPool = corpusRecords(corpusDir, 'salesforce', (f) => f.includes('setupadittrail'));

  const keys = { trusted: generateKeyPairSync('rsa', { modulusLength: 2048 }), other: generateKeyPairSync('rsa', { modulusLength: 2048 }) };
  const trustedKey = createPublicKey(keys.trusted.privateKey);
  const issued = new Set<string>();
  let instanceUrl: string | null = null;
  let batchSize = 2000;
  let files: LogFile[] = [];
  let objects: Record<'LoginHistory' | 'SetupAuditTrail', StoredRecord[]> = { LoginHistory: [], SetupAuditTrail: [] };
  const locators = new Map<string, CorpusRecord[]>();
  let rowSerial = 0;

  const makeFile = (eventType: string, created: number): LogFile => {
    const rows = rowGroups.get(eventType)!.map((r, i): CorpusRecord => {
      const at = created - 3600_000 + i * 1000;
      return { ...r, REQUEST_ID: `fakeReq${String(rowSerial++).padStart(8, '0')}`, TIMESTAMP: elfTimestamp(at), TIMESTAMP_DERIVED: new Date(at).toISOString() };
    });
    const header = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const csv = [header.map(csvCell).join(','), ...rows.map((r) => header.map((h) => csvCell(r[h])).join(','))].join('\n') + '\n';
    return { id: sfId('0AT'), eventType, created: Math.floor(created / 1000) * 1000, csv, rows: rows.length };
  };
  const makeRecord = (object: 'LoginHistory' | 'SetupAuditTrail', i: number, at: number): StoredRecord => {
    const pool = object === 'LoginHistory' ? loginPool : auditPool;
    const sample = pool[i % pool.length]!;
    const id = sfId(object === 'LoginHistory' ? '0Ya' : '0Ym');
    const time = Math.floor(at / 1000) * 1000;
    return {
      at: time,
      record: { ...sample, attributes: { type: object, url: `/services/data/v62.0/sobjects/${object}/${id}` }, Id: id, [objectTimeFields[object]!]: sfTime(time) },
    };
  };
  const reset = (count: number) => {
    const base = Date.now() - 2 * 3600_000;
    files = [...rowGroups.keys()].map((type, i) => makeFile(type, base + i * 60_000));
    objects = {
      LoginHistory: Array.from({ length: count }, (_, i) => makeRecord('LoginHistory', i, base + i * 10_000)),
      SetupAuditTrail: Array.from({ length: count }, (_, i) => makeRecord('SetupAuditTrail', i, base + i * 10_000)),
    };
    locators.clear();
    instanceUrl = null;
  };
  reset(25);

  const apiError = (res: Parameters<typeof sendJson>[0], status: number, errorCode: string, message: string) => sendJson(res, status, [{ message, errorCode }]);

  /** The records of a SOQL query, or an error. Only the shapes the collectors send are understood. */
  const runSoql = (soql: string): { records: CorpusRecord[] } | { error: string; code: string } => {
    const m = /^SELECT (.+?) FROM (\w+) WHERE (\w+) (>=|>) (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)((?: AND [\s\S]+?)?) ORDER BY (\w+) ASC, Id ASC(?: LIMIT (\d+))?$/.exec(soql);
    if (!m) return { code: 'MALFORMED_QUERY', error: `unexpected token in: ${soql.slice(0, 120)}` };
    const [, fieldList, object, timeField, op, literal, extra, orderField, limit] = m;
    if (!(object! in objectTimeFields)) return { code: 'INVALID_TYPE', error: `sObject type '${object}' is not supported.` };
    if (timeField !== objectTimeFields[object!] || orderField !== timeField) return { code: 'MALFORMED_QUERY', error: `cannot filter or order ${object} on ${timeField}` };
    const bound = Date.parse(literal!);
    const keep = (at: number) => (op === '>' ? at > bound : at >= bound);
    const fields = fieldList!.split(',').map((f) => f.trim());
    let rows: StoredRecord[];
    if (object === 'EventLogFile') {
      const interval = /AND Interval = '(\w+)'/.exec(extra!)?.[1];
      const types = /AND EventType IN \(([^)]*)\)/.exec(extra!)?.[1]?.split(',').map((t) => t.trim().replace(/^'|'$/g, ''));
      rows = files
        .filter((f) => (interval ?? 'Daily') === 'Daily' && (!types || types.includes(f.eventType)))
        .map((f) => ({
          at: f.created,
          record: {
            attributes: { type: 'EventLogFile', url: `/services/data/v62.0/sobjects/EventLogFile/${f.id}` },
            Id: f.id,
            EventType: f.eventType,
            LogDate: sfTime(Math.floor(f.created / 86_400_000) * 86_400_000),
            LogFile: `/services/data/v62.0/sobjects/EventLogFile/${f.id}/LogFile`,
            Interval: 'Daily',
            Sequence: 0,
            CreatedDate: sfTime(f.created),
            LogFileLength: Buffer.byteLength(f.csv),
          },
        }));
    } else {
      if (extra) return { code: 'MALFORMED_QUERY', error: `unexpected condition: ${extra}` };
      rows = objects[object as 'LoginHistory' | 'SetupAuditTrail'];
    }
    const selected = rows
      .filter((r) => keep(r.at))
      .sort((a, b) => a.at - b.at || String(a.record.Id).localeCompare(String(b.record.Id)))
      .map(({ record }) => {
        // SOQL answers exactly the selected fields (null when empty), relationship fields nested.
        const out: CorpusRecord = { attributes: record.attributes };
        for (const f of fields) {
          const [relation, field] = f.split('.');
          if (field) out[relation!] = record[relation!] ?? null;
          else out[f] = record[f] ?? null;
        }
        return out;
      });
    return { records: limit ? selected.slice(0, Number(limit)) : selected };
  };

  const answerBatch = (res: Parameters<typeof sendJson>[0], version: string, locator: string, records: CorpusRecord[], offset: number) => {
    const batch = records.slice(offset, offset + batchSize);
    const done = offset + batchSize >= records.length;
    sendJson(res, 200, { totalSize: records.length, done, ...(done ? {} : { nextRecordsUrl: `/services/data/v${version}/query/${locator}-${offset + batchSize}` }), records: batch });
  };

  return startFakeServer(
    async (req, res, url) => {
      const origin = `http://${req.headers.host}`;
      if (url.pathname === '/services/oauth2/token' && req.method === 'POST') {
        const form = new URLSearchParams(req.body);
        if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: 'grant type not supported' });
        let claims: { iss?: unknown; aud?: unknown; sub?: unknown };
        try {
          ({ payload: claims } = await jwtVerify(form.get('assertion') ?? '', trustedKey, { algorithms: ['RS256'] }));
        } catch {
          return sendJson(res, 400, { error: 'invalid_grant', error_description: 'invalid assertion' });
        }
        if (claims.iss !== salesforceFakeApp.consumerKey) return sendJson(res, 400, { error: 'invalid_client_id', error_description: 'client identifier invalid' });
        if (claims.aud !== origin) return sendJson(res, 400, { error: 'invalid_grant', error_description: 'audience is invalid' });
        if (claims.sub !== salesforceFakeApp.username) return sendJson(res, 400, { error: 'invalid_grant', error_description: "user hasn't approved this consumer" });
        const token = `00DFAKE000000000001!${randomBytes(40).toString('base64url')}`;
        issued.add(token);
        const instance = instanceUrl ?? origin;
        return sendJson(res, 200, { access_token: token, scope: 'api', instance_url: instance, id: `${origin}/id/00DFAKE000000000001/005FAKE000000000001`, token_type: 'Bearer' });
      }

      const api = /^\/services\/data\/v(\d{2,3}\.\d)(\/.*)$/.exec(url.pathname);
      if (!api || req.method !== 'GET') return apiError(res, 404, 'NOT_FOUND', 'The requested resource does not exist');
      const token = bearer(req.headers.authorization);
      if (!token || !issued.has(token)) return apiError(res, 401, 'INVALID_SESSION_ID', 'Session expired or invalid');
      const [, version, rest] = api;

      if (rest === '/query') {
        const result = runSoql(url.searchParams.get('q') ?? '');
        if ('error' in result) return apiError(res, 400, result.code, result.error);
        const locator = `01gFAKE${randomBytes(6).toString('hex')}`;
        locators.set(locator, result.records);
        return answerBatch(res, version!, locator, result.records, 0);
      }
      const more = /^\/query\/(01gFAKE[0-9a-f]+)-(\d+)$/.exec(rest!);
      if (more) {
        const records = locators.get(more[1]!);
        if (!records) return apiError(res, 400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
        return answerBatch(res, version!, more[1]!, records, Number(more[2]));
      }
      const logFile = /^\/sobjects\/EventLogFile\/(\w+)\/LogFile$/.exec(rest!);
      if (logFile) {
        const file = files.find((f) => f.id === logFile[1]);
        if (!file) return apiError(res, 404, 'NOT_FOUND', 'The requested resource does not exist');
        res.writeHead(200, { 'content-type': 'text/csv' });
        res.end(file.csv);
        return;
      }
      return apiError(res, 404, 'NOT_FOUND', 'The requested resource does not exist');
    },
    (action, body) => {
      const b = (body ?? {}) as { count?: number; batchSize?: number; url?: string | null };
      if (action === 'credentials') {
        return {
          privateKeyPem: keys.trusted.privateKey.export({ type: 'pkcs8', format: 'pem' }),
          untrustedPrivateKeyPem: keys.other.privateKey.export({ type: 'pkcs8', format: 'pem' }),
          ...salesforceFakeApp,
        };
      }
      if (action === 'reset') {
        reset(b.count ?? 25);
        batchSize = b.batchSize ?? 2000;
      } else if (action === 'add') {
        const n = b.count ?? 1;
        const now = Date.now();
        for (const object of ['LoginHistory', 'SetupAuditTrail'] as const) {
          objects[object].push(...Array.from({ length: n }, (_, i) => makeRecord(object, objects[object].length + i, now - (n - i) * 1000)));
        }
        files.push(makeFile('Login', now - 1000));
      } else if (action === 'revoke') {
        issued.clear();
      } else if (action === 'instance-url') instanceUrl = b.url ?? null;
      return { files: files.length, rows: files.reduce((n, f) => n + f.rows, 0), LoginHistory: objects.LoginHistory.length };
    },
  );
}
