/**
 * Visual check of the built UI: drives headless Chromium over `vite preview` and writes PNGs.
 *
 * The API is not running during this check, so `/api/**` is intercepted HERE (never in the product code)
 * with answers shaped exactly like docs/api.md. Usage, from the repository root:
 *
 *   npx vite build --config pages/vite.config.ts
 *   npx vite preview --config pages/vite.config.ts --port 4173 --strictPort &
 *   node pages/scripts/screenshot.mjs [outDir]        # default /tmp/mantissa-screens
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const baseUrl = process.env.BASE_URL ?? 'http://127.0.0.1:4173';
const outDir = process.argv[2] ?? '/tmp/mantissa-screens';
const goodToken = 'mlt_screenshot_admin_token';
mkdirSync(outDir, { recursive: true });

const now = Date.now();
const ago = (minutes) => new Date(now - minutes * 60_000).toISOString();

const fixtures = {
  me: { id: 'tok_01JD8X2K4Q', name: 'bootstrap-admin', role: 'admin', source: null, via: 'token' },
  health: {
    status: 'degraded',
    bindings: {
      DB: { ok: true, latencyMs: 2 },
      LAKE: { ok: true, latencyMs: 14 },
      IDENTITY_USER: { ok: true, latencyMs: 5 },
      PLAYBOOKS: { ok: false, latencyMs: 1003, error: 'workflow binding did not answer within 1000 ms' },
      ASSETS: { ok: true, latencyMs: 1 },
    },
    version: '0.1.0',
  },
  sql: {
    columns: ['event_time', 'source', 'action', 'actor', 'src_ip', 'outcome', 'raw'],
    rows: Array.from({ length: 40 }, (_, index) => [
      ago(index * 3),
      index % 3 === 0 ? 'cloudtrail' : 'okta',
      index % 3 === 0 ? 'GetObject' : index % 2 ? 'user.session.start' : 'user.authentication.auth_via_mfa',
      index % 4 === 0 ? null : `user${index % 5}@acme.test`,
      `203.0.113.${10 + index}`,
      index % 7 === 0 ? 'failure' : 'success',
      JSON.stringify({ uuid: `evt-${index}`, eventType: 'user.session.start', client: { userAgent: { rawUserAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15' } } }),
    ]),
    rowCount: 40,
    truncated: true,
    elapsedMs: 12,
  },
  alerts: [
    {
      id: 'alr_01', ruleId: 'rul_bruteforce', ruleName: 'Okta brute force against one account', severity: 'high',
      title: '27 failed sign-ins for alice@acme.test from 198.51.100.7', dedupKey: 'rul_bruteforce:alice@acme.test',
      entities: { users: ['alice@acme.test'], ips: ['198.51.100.7'] }, firstSeen: ago(95), lastSeen: ago(12), count: 27,
      status: 'open',
      evidence: [
        { event_time: ago(12), actor: 'alice@acme.test', src_ip: '198.51.100.7', action: 'user.session.start', outcome: 'failure', outcome_reason: 'INVALID_CREDENTIALS' },
        { event_time: ago(13), actor: 'alice@acme.test', src_ip: '198.51.100.7', action: 'user.session.start', outcome: 'failure', outcome_reason: 'INVALID_CREDENTIALS' },
        { event_time: ago(15), actor: 'alice@acme.test', src_ip: '198.51.100.7', action: 'user.session.start', outcome: 'failure', outcome_reason: null },
      ],
      createdAt: ago(95), updatedAt: ago(12),
    },
    {
      id: 'alr_02', ruleId: 'rul_root', ruleName: 'AWS root account used', severity: 'critical', title: 'Root user called ConsoleLogin',
      dedupKey: 'rul_root:root', entities: { users: ['root'], ips: ['192.0.2.44'] }, firstSeen: ago(300), lastSeen: ago(300), count: 1,
      status: 'open', evidence: [], createdAt: ago(300), updatedAt: ago(300),
    },
    {
      id: 'alr_03', ruleId: 'rul_travel', ruleName: 'Impossible travel', severity: 'medium',
      title: 'bob@acme.test signed in from DE and US within 40 minutes', dedupKey: 'rul_travel:bob@acme.test',
      entities: { users: ['bob@acme.test'], ips: ['203.0.113.9', '198.51.100.200'] }, firstSeen: ago(600), lastSeen: ago(560), count: 2,
      status: 'acknowledged', evidence: [], createdAt: ago(600), updatedAt: ago(500),
    },
    {
      id: 'alr_04', ruleId: 'rul_mfa', ruleName: 'MFA factor removed', severity: 'low', title: 'carol@acme.test removed a factor',
      dedupKey: 'rul_mfa:carol', entities: { users: ['carol@acme.test'], ips: [] }, firstSeen: ago(1500), lastSeen: ago(1500), count: 1,
      status: 'open', evidence: [], createdAt: ago(1500), updatedAt: ago(1500),
    },
    {
      id: 'alr_05', ruleId: 'rul_new_country', ruleName: 'Sign-in from a new country', severity: 'info', title: 'dave@acme.test first sign-in from PT',
      dedupKey: 'rul_new_country:dave', entities: {}, firstSeen: ago(2000), lastSeen: ago(2000), count: 1,
      status: 'open', evidence: [], createdAt: ago(2000), updatedAt: ago(2000),
    },
  ],
  rules: [
    {
      id: 'rul_bruteforce', name: 'Okta brute force against one account', description: 'Ten or more failed Okta sign-ins for one user from one IP inside the window.',
      severity: 'high', enabled: true, intervalMinutes: 5, lookbackMinutes: 15,
      sql: "SELECT actor, src_ip, count(*) AS failures\nFROM events\nWHERE source = 'okta' AND outcome = 'failure'\n  AND event_time >= :window_start AND event_time < :window_end\nGROUP BY actor, src_ip\nHAVING count(*) >= 10",
      lastRunAt: ago(3), lastRunStatus: 'success', lastError: null, lastHits: 1, createdAt: ago(9000), updatedAt: ago(3),
    },
    {
      id: 'rul_root', name: 'AWS root account used', description: 'Any CloudTrail call made by the root user.', severity: 'critical', enabled: true,
      intervalMinutes: 5, lookbackMinutes: 10, sql: "SELECT * FROM events WHERE source = 'cloudtrail' AND actor = 'root' AND event_time >= :window_start AND event_time < :window_end",
      lastRunAt: ago(3), lastRunStatus: 'success', lastError: null, lastHits: 0, createdAt: ago(9000), updatedAt: ago(3),
    },
    {
      id: 'rul_geo', name: 'Sign-in from a sanctioned country', description: 'Sign-ins from a configured list of countries.', severity: 'medium', enabled: false,
      intervalMinutes: 15, lookbackMinutes: 30, sql: "SELECT actor, src_country FROM events WHERE src_country IN ('KP','IR') AND event_time >= :window_start AND event_time < :window_end",
      lastRunAt: ago(700), lastRunStatus: 'error', lastError: 'D1_ERROR: no such column: src_country_code at offset 38', lastHits: null, createdAt: ago(9000), updatedAt: ago(700),
    },
    {
      id: 'rul_new', name: 'MFA factor removed', description: '', severity: 'low', enabled: true, intervalMinutes: 60, lookbackMinutes: 60,
      sql: "SELECT actor FROM events WHERE identity_action = 'factor_remove' AND event_time >= :window_start AND event_time < :window_end",
      lastRunAt: null, lastRunStatus: null, lastError: null, lastHits: null, createdAt: ago(5), updatedAt: ago(5),
    },
  ],
  users: [
    { user: 'alice@acme.test', events: 1240, lastSeen: ago(12), failures: 31 },
    { user: 'bob@acme.test', events: 877, lastSeen: ago(40), failures: 0 },
    { user: 'carol@acme.test', events: 432, lastSeen: ago(300), failures: 2 },
  ],
  userState: {
    user: 'alice@acme.test', eventCount: 1240, firstSeen: ago(60 * 24 * 30), lastSeen: ago(12),
    containment: { playbookRunId: 'run_01JD9', reason: 'Credential stuffing from 198.51.100.7 followed by a successful sign-in', containedAt: ago(8), containedBy: 'responder-oncall' },
    events: Array.from({ length: 25 }, (_, index) => ({
      eventTime: ago(12 + index * 7), source: 'okta', action: index % 2 ? 'user.session.start' : 'user.authentication.auth_via_mfa',
      identityAction: index % 2 ? 'session_start' : 'mfa_accept', outcome: index < 5 ? 'failure' : 'success', srcIp: index < 5 ? '198.51.100.7' : '203.0.113.20',
      country: index < 5 ? 'NL' : 'US', city: index < 5 ? 'Amsterdam' : null, userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
    })),
  },
  runs: [
    {
      id: 'run_01JDA', playbook: 'contain-user', params: { userId: 'alice@acme.test', reason: 'Credential stuffing followed by success' }, status: 'waiting_approval',
      requestedBy: 'bootstrap-admin', decidedBy: null, decision: null, decisionComment: null, createdAt: ago(4), updatedAt: ago(3), result: { evidenceKey: 'evidence/run_01JDA.json', events: 200 },
    },
    {
      id: 'run_01JD9', playbook: 'contain-user', params: { userId: 'bob@acme.test', reason: 'Impossible travel' }, status: 'complete',
      requestedBy: 'analyst-jane', decidedBy: 'responder-oncall', decision: 'approved', decisionComment: 'Confirmed with the user by phone; not them.', createdAt: ago(180), updatedAt: ago(150), result: { contained: true },
    },
    {
      id: 'run_01JD8', playbook: 'contain-user', params: { userId: 'carol@acme.test', reason: 'MFA removed' }, status: 'rejected',
      requestedBy: 'analyst-jane', decidedBy: 'bootstrap-admin', decision: 'rejected', decisionComment: 'Planned device change.', createdAt: ago(1400), updatedAt: ago(1380), result: null,
    },
  ],
  sources: [
    { id: 'okta', name: 'Okta System Log', batches: 12, accepted: 11000, rejected: 2, lastIngestAt: ago(2) },
    { id: 'cloudtrail', name: 'AWS CloudTrail', batches: 40, accepted: 182340, rejected: 0, lastIngestAt: ago(6) },
    { id: 'entra_id', name: 'Microsoft Entra ID', batches: 0, accepted: 0, rejected: 0, lastIngestAt: null },
  ],
  tokens: [
    { id: 'tok_01JD8X2K4Q', name: 'bootstrap-admin', role: 'admin', source: null, createdAt: ago(9000), expiresAt: null, lastUsedAt: ago(0), revokedAt: null },
    { id: 'tok_01JD8Y7M2C', name: 'okta-shipper', role: 'ingest', source: 'okta', createdAt: ago(8000), expiresAt: ago(-60 * 24 * 60), lastUsedAt: ago(2), revokedAt: null },
    { id: 'tok_01JD8Z1A9B', name: 'old-laptop', role: 'analyst', source: null, createdAt: ago(20000), expiresAt: ago(100), lastUsedAt: ago(3000), revokedAt: null },
    { id: 'tok_01JD8Z3R1X', name: 'contractor', role: 'viewer', source: null, createdAt: ago(20000), expiresAt: null, lastUsedAt: ago(9000), revokedAt: ago(5000) },
  ],
};

let requestCounter = 0;
function json(route, status, body) {
  const requestId = `req_${String(++requestCounter).padStart(4, '0')}`;
  return route.fulfill({ status, contentType: 'application/json', headers: { 'x-request-id': requestId }, body: JSON.stringify(body) });
}
function apiError(route, status, code, message) {
  return json(route, status, { error: { code, message, requestId: `req_${String(requestCounter + 1).padStart(4, '0')}` } });
}

/** Answers like docs/api.md. `me` decides the role; a few requests deliberately fail to show error states. */
function mockApi(me) {
  return async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    const method = request.method();
    const auth = request.headers()['authorization'];
    if (auth !== `Bearer ${goodToken}`) return apiError(route, 401, 'unauthenticated', 'unknown, revoked or expired token');
    const path = url.pathname;
    const body = request.postData() ? JSON.parse(request.postData()) : undefined;

    if (path === '/api/me') return json(route, 200, me);
    if (path === '/api/health') return json(route, 503, fixtures.health);
    if (path === '/api/sql') {
      if (/delete|drop|sqlite_master/i.test(body.sql)) {
        return apiError(route, 400, 'invalid_sql', 'only a single read-only SELECT is allowed; found DELETE statement');
      }
      return json(route, 200, fixtures.sql);
    }
    if (path === '/api/alerts' && method === 'GET') {
      const status = url.searchParams.get('status');
      return json(route, 200, { alerts: fixtures.alerts.filter((alert) => !status || alert.status === status) });
    }
    if (path.startsWith('/api/alerts/') && method === 'PATCH') {
      const alert = fixtures.alerts.find((candidate) => candidate.id === decodeURIComponent(path.split('/').pop()));
      alert.status = body.status;
      return json(route, 200, alert);
    }
    if (path === '/api/rules' && method === 'GET') return json(route, 200, { rules: fixtures.rules });
    if (path === '/api/rules' && method === 'POST') {
      return apiError(route, 400, 'invalid_sql', 'the rule SQL must bound event_time with :window_start and :window_end');
    }
    if (path === '/api/identity/users') {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      return json(route, 200, { users: fixtures.users.filter((user) => user.user.includes(q)) });
    }
    if (path.startsWith('/api/identity/users/')) {
      const user = decodeURIComponent(path.slice('/api/identity/users/'.length));
      if (user === fixtures.userState.user) return json(route, 200, fixtures.userState);
      if (user === 'bob@acme.test') {
        return json(route, 200, { ...fixtures.userState, user, eventCount: 877, containment: null, events: fixtures.userState.events.slice(5, 12) });
      }
      return apiError(route, 404, 'not_found', `no identity state for ${user}`);
    }
    if (path === '/api/playbooks/runs' && method === 'GET') return json(route, 200, { runs: fixtures.runs });
    if (path === '/api/playbooks/runs' && method === 'POST') {
      return json(route, 202, { ...fixtures.runs[0], id: 'run_01JDBNEW', params: { userId: body.userId, reason: body.reason }, status: 'queued', createdAt: ago(0), updatedAt: ago(0) });
    }
    if (path.endsWith('/decision')) {
      return apiError(route, 403, 'forbidden', 'you requested this run; another approver must decide it');
    }
    if (path === '/api/sources') return json(route, 200, { sources: fixtures.sources });
    if (path === '/api/tokens' && method === 'GET') return json(route, 200, { tokens: fixtures.tokens });
    if (path === '/api/tokens' && method === 'POST') {
      return json(route, 201, { token: 'mlt_9fK2xQ7vLm3Rt8Wz0Yp4Hs6Jd1Nc5Bb', id: 'tok_01JDB0NEW', name: body.name, role: body.role, source: body.source ?? null });
    }
    return apiError(route, 404, 'not_found', `no route ${method} ${path}`);
  };
}

async function shot(page, name) {
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(outDir, `${name}.png`), fullPage: false });
  console.log(`wrote ${join(outDir, `${name}.png`)}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});

try {
  // 1. No API at all: the sign-in screen with the honest "could not reach" notice.
  {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${baseUrl}/`);
    await page.getByTestId('token-input').waitFor();
    await shot(page, '01-sign-in-no-api');
    await page.close();
  }

  // 2. Wrong token: the 401 message.
  {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.route('**/api/**', mockApi(fixtures.me));
    await page.goto(`${baseUrl}/query`);
    await page.getByTestId('token-input').fill('mlt_not_a_real_token');
    await page.getByTestId('sign-in').click();
    await page.getByText('Token not recognised').waitFor();
    await shot(page, '02-sign-in-rejected');
    await page.close();
  }

  // 3. Signed in as admin: every page.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.route('**/api/**', mockApi(fixtures.me));
  await page.goto(`${baseUrl}/`);
  await page.getByTestId('token-input').fill(goodToken);
  await page.getByTestId('sign-in').click();
  await page.getByTestId('sql-editor').waitFor();
  await shot(page, '03-query-empty');
  await page.getByTestId('run-query').click();
  await page.getByTestId('results-table').waitFor();
  await shot(page, '04-query-results');
  await page.getByTestId('sql-editor').fill('DELETE FROM events');
  await page.getByTestId('sql-editor').press('Control+Enter');
  await page.getByText('Query refused').waitFor();
  await shot(page, '05-query-refused');

  await page.getByRole('link', { name: 'Alerts' }).click();
  await page.getByTestId('alerts-table').waitFor();
  await page.getByText('27 failed sign-ins').click();
  await shot(page, '06-alerts-expanded');

  await page.getByRole('link', { name: 'Rules' }).click();
  await page.getByTestId('rules-table').waitFor();
  await page.getByText('Sign-in from a sanctioned country').click();
  await shot(page, '07-rules');
  await page.getByRole('button', { name: 'New rule' }).click();
  await page.getByPlaceholder('Brute force against one account').fill('Test rule');
  await page.locator('form textarea').fill('SELECT actor FROM events');
  await page.getByRole('button', { name: 'Create rule' }).click();
  await page.getByText(':window_start and :window_end', { exact: false }).last().waitFor();
  await shot(page, '08-rules-new-rule-error');

  await page.getByRole('link', { name: 'Identity' }).click();
  await page.getByTestId('identity-users-table').waitFor();
  await shot(page, '09-identity-search');
  await page.getByText('alice@acme.test').click();
  await page.getByTestId('identity-events-table').waitFor();
  await shot(page, '10-identity-user');
  await page.goto(`${baseUrl}/identity/bob%40acme.test`);
  await page.getByTestId('contain-user').click();
  await page.locator('.contain-form textarea').fill('Impossible travel confirmed by the user as not them');
  await shot(page, '10b-identity-contain-form');
  await page.getByRole('button', { name: 'Request containment' }).click();
  await page.getByTestId('containment-requested').waitFor();
  await shot(page, '10c-identity-contain-requested');
  await page.goto(`${baseUrl}/identity/nobody%40acme.test`);
  await page.getByText('This user has never been seen').waitFor();
  await shot(page, '11-identity-unknown');

  await page.getByRole('link', { name: 'Playbooks' }).click();
  await page.getByTestId('playbook-runs-table').waitFor();
  await page.getByRole('button', { name: 'Approve' }).first().click();
  await page.locator('.decision-form textarea').fill('Looks right');
  await page.locator('.decision-form').getByRole('button', { name: 'Approve' }).click();
  await page.getByText('another approver must decide it').waitFor();
  await shot(page, '12-playbooks-own-approval');

  await page.getByRole('link', { name: 'Sources' }).click();
  await page.getByTestId('sources-table').waitFor();
  await shot(page, '13-sources');

  await page.getByRole('link', { name: 'APM' }).click();
  await shot(page, '14-apm');

  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByTestId('tokens-table').waitFor();
  await page.getByPlaceholder('okta-log-shipper').fill('ci-ingest');
  await page.locator('[data-testid=create-token-form] select').selectOption('ingest');
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.getByTestId('new-token-secret').waitFor();
  await shot(page, '15-settings');
  await page.screenshot({ path: join(outDir, '15b-settings-full.png'), fullPage: true });

  // 4. Narrow window (1024 wide).
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.getByRole('link', { name: 'Alerts' }).click();
  await page.getByTestId('alerts-table').waitFor();
  await shot(page, '16-alerts-1024');
  await page.getByRole('link', { name: 'Query' }).click();
  await page.getByTestId('run-query').click();
  await page.getByTestId('results-table').waitFor();
  await shot(page, '17-query-1024');
  await context.close();

  // 5. A viewer: tokens are admin-only, write actions disabled.
  {
    const viewerPage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await viewerPage.route('**/api/**', mockApi({ ...fixtures.me, name: 'vera@acme.test', role: 'viewer', via: 'access' }));
    await viewerPage.goto(`${baseUrl}/settings`);
    await viewerPage.getByTestId('token-input').fill(goodToken);
    await viewerPage.getByTestId('sign-in').click();
    await viewerPage.getByText('Only admins manage tokens').waitFor();
    await shot(viewerPage, '18-settings-viewer');
    await viewerPage.close();
  }
} finally {
  await browser.close();
}
