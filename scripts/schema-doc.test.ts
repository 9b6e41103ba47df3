import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('docs/schema.md', () => {
  it('is up to date with adapters/*/README.md (npm run docs:schema regenerates it)', () => {
    const script = fileURLToPath(new URL('./schema-doc.mjs', import.meta.url));
    const result = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
