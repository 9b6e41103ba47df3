#!/usr/bin/env node
// End-to-end browser test: the README's `npm start` (scripts/start.mjs) on a fresh state directory, with
// the demo organisation seeded; the real Okta samples of the shared corpus posted to /ingest/okta and counted
// through /api/sql; then Debian's Chromium (playwright-core) signs in, runs SQL on the Query page and asks it questions in plain English (a count, a follow-up with a chart, CSV export, an unanswerable question),
// sees the rows, opens the Alerts page and the Identity pages (ITDR on the demo story), and on the Rules page reads a demo Sigma rule's YAML, has a broken
// Sigma rule refused at its line and column, previews a fixed one in four SQL dialects and creates it.
// Screenshots land in test/e2e/artifacts/.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureToolchain, root, toolEnv } from '../../scripts/lib/toolchain.mjs';

await ensureToolchain(import.meta.url);
const { chromium } = await import('playwright-core');

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const corpusDir = join(root, '..', 'shared', 'corpus', 'logs', 'okta');
const artifacts = join(root, 'test', 'e2e', 'artifacts');
const port = Number(process.env.E2E_PORT ?? 8793);
const origin = `http://127.0.0.1:${port}`;
const adminToken = `mlt_e2e${'x'.repeat(20)}${Date.now()}`;
const stateDir = mkdtempSync(join(tmpdir(), 'mantissa-e2e-'));

const checks = [];
const check = (name, ok, detail = '') => {
  checks.push({ name, ok });
  console.log(`${ok ? '✓' : '✗'} ${name}${detail ? ` — ${detail}` : ''}`);
};

if (!existsSync(chromiumPath)) {
  console.error(`Chromium not found at ${chromiumPath}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  process.exit(1);
}
if (!existsSync(corpusDir)) {
  console.error(`The shared corpus is missing (${corpusDir}); the e2e test posts its real Okta samples.`);
  process.exit(1);
}
mkdirSync(artifacts, { recursive: true });

console.log(`▶ npm start (scripts/start.mjs) on ${origin}, state in ${stateDir}`);
const server = spawn(process.execPath, ['scripts/start.mjs'], {
  cwd: root,
  env: toolEnv({ PORT: String(port), MANTISSA_STATE_DIR: stateDir, MANTISSA_ADMIN_TOKEN: adminToken }),
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: true,
});
let serverOutput = '';
server.stdout.on('data', (c) => (serverOutput += c));
server.stderr.on('data', (c) => (serverOutput += c));
let exitCode = 1;
try {
  await waitFor(() => serverOutput.includes('demo data loaded'), 240_000, 'npm start to finish seeding the demo data');
  check('npm start serves the Worker, seeds the demo organisation and prints the token', serverOutput.includes(adminToken));

  const api = async (path, init = {}) => {
    const res = await fetch(`${origin}${path}`, { ...init, headers: { authorization: `Bearer ${adminToken}`, ...(init.headers ?? {}) } });
    return { status: res.status, body: await res.json() };
  };
  const countOkta = async () => (await api('/api/sql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: "SELECT count(*) FROM events WHERE source = 'okta'" }) })).body.rows[0][0];

  const demoEvents = (await api('/api/sql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: 'SELECT source, count(*) FROM events GROUP BY source ORDER BY source' }) })).body.rows;
  check('demo data is queryable', demoEvents.length === 2 && demoEvents.every(([, n]) => n > 1000), JSON.stringify(demoEvents));

  // The issue's acceptance check: every line of the real Okta samples accepted, then counted exactly.
  const before = await countOkta();
  let lines = 0;
  let accepted = 0;
  for (const file of readdirSync(corpusDir).filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson')).sort()) {
    const body = readFileSync(join(corpusDir, file), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(l)).filter(([k]) => !k.startsWith('p_')))))
      .join('\n');
    lines += body.split('\n').length;
    const res = await api('/ingest/okta', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
    accepted += res.body.accepted ?? 0;
  }
  const after = await countOkta();
  check('every line of the Okta corpus is accepted', accepted === lines, `${accepted}/${lines}`);
  check('POST /api/sql counts exactly those rows', after - before === lines, `${after} - ${before} = ${after - before}`);

  const alerts = (await api('/api/alerts')).body.alerts;
  check('scheduled detection raised alerts on the demo attack stories', alerts.length > 0, `${alerts.length} alerts`);

  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${origin}/`);
    await page.getByTestId('token-input').fill(adminToken);
    await page.getByTestId('sign-in').click();
    // /query opens on the Ask tab; the SQL editor is the SQL tab.
    await page.getByTestId('query-tab-sql').click();
    await page.getByTestId('sql-editor').waitFor();
    await page.getByTestId('sql-editor').fill(
      "SELECT event_time, source, action, actor, src_ip, src_country, outcome\nFROM events\nWHERE identity_action = 'auth_failure'\nORDER BY event_time DESC\nLIMIT 50",
    );
    await page.getByTestId('run-query').click();
    const table = page.getByTestId('results-table');
    await table.waitFor({ timeout: 30_000 });
    const rows = await table.locator('tbody tr').count();
    const summary = await page.getByTestId('results-summary').innerText();
    await page.screenshot({ path: join(artifacts, 'explore.png'), fullPage: false });
    check('the browser signs in, runs a query and sees rows', rows === 50 && /50 rows/.test(summary), `${rows} rows, "${summary}"`);

    // Ask (natural-language queries): a count, a follow-up in the same conversation with a chart, CSV export, and
    // a question the offline engine cannot answer, which shows suggestions instead of guessing.
    await page.getByTestId('query-tab-ask').click();
    await page.getByTestId('new-conversation').click();
    const answers = page.getByTestId('answer');
    const settledAnswer = (index) => page.locator('[data-testid="answer"]:not([aria-busy="true"])').nth(index);
    await page.getByTestId('ask-input').fill('How many failed logins in the last 7 days?');
    await page.getByTestId('ask-input').press('Enter');
    await settledAnswer(0).waitFor({ timeout: 30_000 });
    const countStatus = await answers.nth(0).getAttribute('data-status');
    const countText = countStatus === 'answered' ? await answers.nth(0).getByTestId('answer-number').innerText() : '';
    const countSql = countStatus === 'answered' ? await answers.nth(0).getByTestId('answer-sql').inputValue() : '';
    const countCost = countStatus === 'answered' ? await answers.nth(0).getByTestId('answer-cost').innerText() : '';
    check(
      'Ask: "How many failed logins in the last 7 days?" is answered with a number, its SQL and its cost',
      countStatus === 'answered' && /^\s*[\d,]+\b/.test(countText) && /SELECT/i.test(countSql) && /\$/.test(countCost),
      `${countStatus}: ${countText.replace(/\s+/g, ' ')}`,
    );

    await page.getByTestId('ask-input').fill('now by country');
    await page.getByTestId('ask-submit').click();
    await settledAnswer(1).waitFor({ timeout: 30_000 });
    const byCountry = answers.nth(1);
    const byCountryStatus = await byCountry.getAttribute('data-status');
    const countryRows = byCountryStatus === 'answered' ? await byCountry.getByTestId('answer-table').locator('tbody tr').count() : 0;
    const chartKind = byCountryStatus === 'answered' && (await byCountry.getByTestId('answer-chart').count()) === 1 ? await byCountry.getByTestId('answer-chart').getAttribute('data-kind') : null;
    const headerCells = byCountryStatus === 'answered' ? (await byCountry.getByTestId('answer-table').locator('thead th').allInnerTexts()).slice(1) : [];
    await byCountry.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, 'ask.png'), fullPage: false });
    check(
      'Ask: the follow-up "now by country" continues the conversation with a table and a bar chart',
      byCountryStatus === 'answered' && countryRows > 0 && chartKind === 'bar' && headerCells.includes('src_country'),
      `${byCountryStatus}: ${countryRows} rows, chart ${chartKind}, columns ${headerCells.join(', ')}`,
    );

    if (byCountryStatus === 'answered') {
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), byCountry.getByTestId('export-csv').click()]);
      const csv = readFileSync(await download.path(), 'utf8');
      const [csvHeader, ...csvRecords] = csv.split('\r\n').filter((line) => line !== '');
      check(
        'Ask: Export CSV downloads a file whose header row is the columns and which has a record per row',
        download.suggestedFilename().endsWith('.csv') && csvHeader === headerCells.join(',') && csvRecords.length === countryRows,
        `${download.suggestedFilename()}: header "${csvHeader}", ${csvRecords.length} records`,
      );
    } else {
      check('Ask: Export CSV downloads a file whose header row is the columns and which has a record per row', false, 'no answer to export');
    }

    await page.getByTestId('ask-input').fill('What is the weather in Paris tomorrow?');
    await page.getByTestId('ask-input').press('Enter');
    await settledAnswer(2).waitFor({ timeout: 30_000 });
    const unanswerable = answers.nth(2);
    const unanswerableStatus = await unanswerable.getAttribute('data-status');
    const suggestions = await unanswerable.getByTestId('suggestion').allInnerTexts();
    await page.screenshot({ path: join(artifacts, 'ask-not-understood.png'), fullPage: false });
    check(
      'Ask: a question the engine cannot answer is refused with suggested questions to click',
      unanswerableStatus === 'not-understood' && suggestions.length > 0,
      `${unanswerableStatus}: ${suggestions.join(' | ')}`,
    );

    await page.goto(`${origin}/alerts`);
    await page.getByTestId('alerts-table').waitFor({ timeout: 15_000 });
    const alertRows = await page.getByTestId('alerts-table').locator('tbody tr').count();
    await page.screenshot({ path: join(artifacts, 'alerts.png'), fullPage: false });
    check('the Alerts page lists the demo alerts', alertRows > 0, `${alertRows} rows`);

    // An alert's own page: facts, evidence, the delivery log; Acknowledge changes its status for everyone.
    const openAlert = (await api('/api/alerts?status=open&limit=50')).body.alerts.find((a) => a.count > 0);
    if (openAlert) {
      await page.goto(`${origin}/alerts/${encodeURIComponent(openAlert.id)}`);
      const detail = page.getByTestId('alert-detail');
      await detail.waitFor({ timeout: 15_000 });
      await page.getByTestId('delivery-log').waitFor({ timeout: 15_000 });
      const facts = await page.getByTestId('alert-facts').innerText();
      const containOffered = openAlert.entities.users?.length ? await detail.getByTestId('alert-contain-user').count() : 1;
      await page.screenshot({ path: join(artifacts, 'alert-detail.png'), fullPage: true });
      await detail.getByRole('button', { name: 'Acknowledge' }).first().click();
      // The facts show who acknowledged once the PATCH has landed and the page reloaded the alert.
      const acknowledgedBy = page.getByTestId('alert-acknowledged').first();
      await page.waitForFunction((el) => el && !/^\s*—\s*$/.test(el.textContent ?? ''), await acknowledgedBy.elementHandle(), { timeout: 15_000 });
      const after = (await api(`/api/alerts/${encodeURIComponent(openAlert.id)}`)).body.alert;
      check(
        'an alert’s page shows its facts, delivery log and Contain user for its person, and Acknowledge acknowledges it',
        facts.length > 0 && after.status === 'acknowledged' && containOffered === 1,
        `${openAlert.title}: status ${after.status}`,
      );
    } else {
      check('an alert’s page shows its facts and delivery log, and Acknowledge acknowledges it', false, 'no open alert in the demo');
    }

    await page.goto(`${origin}/incidents`);
    await page.getByTestId('incidents-table').waitFor({ timeout: 15_000 });
    const incidentsListed = await page.getByTestId('incident-row').count();
    const incidentsStored = (await api('/api/incidents')).body.incidents.length;
    await page.screenshot({ path: join(artifacts, 'incidents.png'), fullPage: false });
    check('the Incidents page lists the incidents alerts rolled up into', incidentsListed > 0 && incidentsListed === incidentsStored, `${incidentsListed} listed / ${incidentsStored} stored`);

    await page.goto(`${origin}/settings/routing`);
    await page.getByTestId('routing-panel').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(artifacts, 'routing.png'), fullPage: false });
    check('the Routing settings page loads', (await page.getByTestId('routing-panel').innerText()).length > 0);

    // Identity (ITDR): the demo's story (a) victim — who accepted the MFA push from the attacker's address —
    // is detected on the ingest path through the Durable Objects, and the Identity pages show it.
    const sqlRows = async (sql) => (await api('/api/sql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql }) })).body.rows;
    const [[victim] = []] = await sqlRows("SELECT lower(actor) FROM events WHERE src_ip = '203.0.113.45' AND identity_action = 'mfa_accept' LIMIT 1");
    const victimView = victim ? (await api(`/api/identity/users/${encodeURIComponent(victim)}`)).body : null;
    const victimKinds = [...new Set((victimView?.detections ?? []).map((d) => d.kind))];
    const victimIncidents = victim ? (await api(`/api/identity/incidents?status=all&person=${encodeURIComponent(victim)}`)).body.incidents : [];
    check(
      'ITDR detects the demo spray → MFA fatigue → privilege grant story on its victim, with an identity incident',
      victimKinds.includes('mfa_fatigue') && victimKinds.includes('privilege_escalation') && victimIncidents.length > 0,
      `${victim}: ${victimKinds.join(', ')}; ${victimIncidents.length} identity incident(s), stages ${victimIncidents[0]?.stages?.join(', ')}`,
    );
    await page.goto(`${origin}/identity`);
    await page.getByTestId('identity-users-table').waitFor({ timeout: 15_000 });
    const identityRows = await page.getByTestId('identity-user-row').count();
    const incidentRows = await page.getByTestId('identity-incident-row').count();
    await page.screenshot({ path: join(artifacts, 'identity.png'), fullPage: false });
    check('the Identity page lists risky users and identity incidents', identityRows > 0 && incidentRows > 0, `${identityRows} users, ${incidentRows} incidents`);
    await page.goto(`${origin}/identity/${encodeURIComponent(victim ?? 'none')}`);
    await page.getByTestId('attack-timeline').waitFor({ timeout: 15_000 });
    const timelineDetections = await page.getByTestId('timeline-detection').count();
    const mapLand = await page.getByTestId('signin-map').locator('path.map-land').count();
    const mapDots = await page.getByTestId('signin-map').locator('circle.map-dot').count();
    const heatCells = await page.getByTestId('baseline-heatmap').locator('rect').count();
    const riskChart = await page.getByTestId('risk-history-chart').count();
    await page.screenshot({ path: join(artifacts, 'identity-user.png'), fullPage: true });
    check(
      'the Identity user page shows the attack timeline, the sign-in map, the hour-of-week baseline and the risk history',
      timelineDetections > 0 && mapLand === 1 && mapDots > 0 && heatCells === 168 && riskChart === 1,
      `${timelineDetections} detections on the timeline, ${mapDots} places on the map, ${heatCells} heat-map cells`,
    );

    // Rules: the Sigma rules `npm start` imported from rules/sigma are listed, and one expands to its YAML.
    const storedSigma = (await api('/api/rules')).body.rules.filter((r) => r.format === 'sigma').length;
    await page.goto(`${origin}/rules`);
    const rulesTable = page.getByTestId('rules-table');
    await rulesTable.waitFor({ timeout: 15_000 });
    const sigmaRows = rulesTable.locator('tr[data-testid="rule-row"][data-format="sigma"]');
    const listedSigma = await sigmaRows.count();
    await sigmaRows.first().locator('td').first().click();
    const ruleYaml = await page.getByTestId('rule-yaml').innerText({ timeout: 10_000 });
    const compiledSql = await page.getByTestId('rule-compiled-sql').innerText();
    await page.screenshot({ path: join(artifacts, 'rules.png'), fullPage: false });
    check(
      'the Rules page lists the Sigma rules and shows a rule\'s YAML and compiled SQL',
      storedSigma > 0 && listedSigma === storedSigma && /^logsource:/m.test(ruleYaml) && /^detection:/m.test(ruleYaml) && /SELECT/.test(compiledSql),
      `${listedSigma} listed / ${storedSigma} stored Sigma rules`,
    );
    const runsTable = page.getByTestId('rule-runs-table').first();
    await runsTable.waitFor({ timeout: 15_000 });
    const runRows = await runsTable.locator('tbody tr').count();
    check('an expanded rule shows its run history (windows, rows read, hits)', runRows > 0, `${runRows} runs`);

    // New rule → Sigma: an unknown field is refused at its line and column; clicking the error selects it.
    const title = `E2E Okta admin privilege granted ${Date.now()}`;
    const goodYaml = [
      `title: ${title}`,
      `id: ${randomUUID()}`,
      'status: experimental',
      'description: Created by the end-to-end test.',
      'author: Mantissa Log e2e',
      'logsource:',
      '    product: okta',
      '    service: okta',
      'detection:',
      '    selection:',
      '        eventType: user.account.privilege.grant',
      '        outcome.result: SUCCESS',
      '    condition: selection',
      'level: high',
      '',
    ].join('\n');
    const badYaml = goodYaml.replace('eventType:', 'eventTipe:');
    const badOffset = badYaml.indexOf('eventTipe');
    const badLine = badYaml.slice(0, badOffset).split('\n').length;
    const badColumn = badOffset - badYaml.lastIndexOf('\n', badOffset - 1);
    await page.getByTestId('new-rule').click();
    await page.getByTestId('rule-format-sigma').click();
    const editor = page.getByTestId('sigma-yaml');
    await editor.fill(badYaml);
    await page.getByTestId('sigma-create').click();
    const firstError = page.getByTestId('sigma-refusal').getByTestId('sigma-error').first();
    const errorText = await firstError.innerText({ timeout: 15_000 });
    await editor.evaluate((el) => el.setSelectionRange(0, 0));
    await firstError.click();
    const selection = await editor.evaluate((el) => ({ start: el.selectionStart, focused: document.activeElement === el }));
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(artifacts, 'sigma-error.png'), fullPage: false });
    check(
      'a Sigma rule with an unknown field is refused at its line and column, and clicking the error selects it',
      errorText.includes(`line ${badLine}, column ${badColumn}:`) && /eventTipe/.test(errorText) && selection.start === badOffset && selection.focused,
      `"${errorText.split('\n')[0]}", selectionStart ${selection.start} (expected ${badOffset})`,
    );

    // Fixed: Preview SQL shows the four dialects with their bound values, then Create adds it to the table.
    await editor.fill(goodYaml);
    await page.getByTestId('sigma-preview').click();
    const preview = page.getByTestId('convert-preview');
    await preview.waitFor({ timeout: 15_000 });
    const tabCount = await preview.locator('[data-testid^="dialect-tab-"]').count();
    const dialectSql = {};
    for (const dialect of ['d1', 'athena', 'bigquery', 'synapse']) {
      await preview.getByTestId(`dialect-tab-${dialect}`).click();
      dialectSql[dialect] = await preview.getByTestId(`dialect-sql-${dialect}`).innerText({ timeout: 5_000 });
    }
    await preview.getByTestId('dialect-tab-d1').click();
    await preview.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, 'sigma-preview.png'), fullPage: false });
    const placeholders = { d1: /\?1\b/, athena: /\?/, bigquery: /@p1\b/, synapse: /@p1\b/ };
    check(
      'Preview SQL shows the Sigma rule in 4 dialect tabs with bound values',
      tabCount === 4 && Object.entries(placeholders).every(([d, re]) => re.test(dialectSql[d] ?? '') && dialectSql[d].includes('user.account.privilege.grant')),
      `${tabCount} tabs`,
    );
    const attribution = `"${title}" by Mantissa Log e2e; licensed under the Detection Rule License (DRL) 1.1`;
    await page.getByTestId('sigma-license').fill('DRL-1.1');
    await page.getByTestId('sigma-attribution').fill(attribution);
    await page.getByTestId('sigma-create').click();
    await page.getByTestId('rule-created').waitFor({ timeout: 15_000 });
    const createdRow = rulesTable.locator('tr[data-testid="rule-row"][data-format="sigma"]', { hasText: title });
    await createdRow.first().waitFor({ timeout: 15_000 });
    const stored = (await api('/api/rules')).body.rules.find((r) => r.name === title);
    await createdRow.first().locator('td').first().click();
    const createdDetail = page.getByTestId('sigma-rule-detail').filter({ hasText: stored?.sigmaId ?? title });
    const shownAttribution = await createdDetail.getByTestId('rule-attribution').innerText({ timeout: 10_000 });
    const shownLicense = await createdRow.first().getByTestId('rule-format').innerText();
    check(
      'Create saves the Sigma rule; it appears in the table with its licence and attribution',
      stored?.format === 'sigma' && stored.license === 'DRL-1.1' && (await createdRow.count()) === 1 && /DRL-1\.1/.test(shownLicense) && shownAttribution === `Attribution: ${attribution}`,
      stored ? `rule ${stored.id}, "${shownAttribution.slice(0, 60)}…"` : 'not stored',
    );

    // Edit YAML on the new rule: a broken modifier is refused at its place; the fix is saved and recompiled.
    await createdDetail.getByTestId('edit-yaml').click();
    const editText = createdDetail.getByTestId('edit-yaml-text');
    const brokenYaml = goodYaml.replace('eventType:', 'eventType|contian:');
    await editText.fill(brokenYaml);
    await createdDetail.getByTestId('save-yaml').click();
    const editError = createdDetail.getByTestId('sigma-refusal').getByTestId('sigma-error').first();
    const editErrorText = await editError.innerText({ timeout: 15_000 });
    await editError.click();
    const editSelection = await editText.evaluate((el) => el.selectionStart);
    await editText.fill(goodYaml.replace('level: high', 'level: medium'));
    await createdDetail.getByTestId('save-yaml').click();
    await createdDetail.getByTestId('rule-yaml').waitFor({ timeout: 15_000 });
    const edited = (await api('/api/rules')).body.rules.find((r) => r.id === stored?.id);
    check(
      'Edit YAML refuses an unknown modifier at its line and column, then saves the fix',
      editErrorText.includes(`line ${badLine}, column ${badColumn}:`) && /contian/.test(editErrorText) && editSelection === badOffset && edited?.severity === 'medium',
      `"${editErrorText.split('\n')[0]}", severity now ${edited?.severity}`,
    );

    // Describe it in English: the request becomes Sigma YAML in the editor, tested over the last 24 h.
    await page.getByTestId('new-rule').click();
    await page.getByTestId('rule-format-sigma').click();
    await page.getByTestId('describe-rule-input').fill('Alert when a user fails login 5+ times in 10 minutes');
    await page.getByTestId('describe-rule-generate').click();
    const described = page.getByTestId('describe-rule-result');
    await described.waitFor({ timeout: 15_000 });
    const describedYaml = await page.getByTestId('sigma-yaml').inputValue();
    const describedDocuments = await described.getByTestId('rule-test-document').count();
    check(
      'Describe it in English writes a brute-force correlation into the YAML editor and shows its test over the last 24 h',
      /type: event_count/.test(describedYaml) && /gte: 5/.test(describedYaml) && /timespan: 10m/.test(describedYaml) && describedDocuments === 2,
      `${describedDocuments} tested documents`,
    );
  } finally {
    await browser.close();
  }
  exitCode = checks.every((c) => c.ok) ? 0 : 1;
} catch (err) {
  console.error(`✗ e2e aborted: ${err.message}`);
  console.error('--- npm start output (last 60 lines) ---');
  console.error(serverOutput.split('\n').slice(-60).join('\n'));
} finally {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    server.kill('SIGTERM');
  }
  await new Promise((r) => setTimeout(r, 1500));
  try {
    process.kill(-server.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
  rmSync(stateDir, { recursive: true, force: true });
}
console.log(`\n${exitCode === 0 ? '✓' : '✗'} e2e: ${checks.filter((c) => c.ok).length}/${checks.length} checks passed; screenshots in ${artifacts}`);
process.exit(exitCode);

async function waitFor(predicate, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) return;
    if (server.exitCode !== null) throw new Error(`npm start exited (${server.exitCode}) while waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}
