#!/usr/bin/env node
// Screenshots of every page of the web UI against a running server (npm start), for reviewing UI changes:
//   node pages/scripts/screenshot.mjs http://127.0.0.1:8787 <admin token> [out dir, default /tmp/mantissa-screens]
// Uses Debian's Chromium through playwright-core (CHROMIUM_PATH overrides /usr/bin/chromium).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [origin, token, out = '/tmp/mantissa-screens'] = process.argv.slice(2);
if (!origin || !token) {
  console.error('usage: node pages/scripts/screenshot.mjs ORIGIN TOKEN [OUT_DIR]');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
try {
  for (const width of [1280, 1024]) {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    await page.goto(`${origin}/`);
    await page.screenshot({ path: join(out, `${width}-sign-in.png`) });
    await page.getByTestId('token-input').fill(token);
    await page.getByTestId('sign-in').click();
    await page.getByTestId('run-query').click();
    await page.getByTestId('results-table').waitFor();
    await page.screenshot({ path: join(out, `${width}-query.png`) });
    for (const path of ['alerts', 'rules', 'identity', 'playbooks', 'sources', 'settings', 'apm']) {
      await page.goto(`${origin}/${path}`);
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: join(out, `${width}-${path}.png`) });
    }
    await page.close();
  }
  console.log(`screenshots in ${out}`);
} finally {
  await browser.close();
}
