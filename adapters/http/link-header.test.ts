import { describe, expect, it } from 'vitest';
import { linkRelation } from './link-header';

describe('linkRelation', () => {
  it('finds rel="next" among several links (Okta style)', () => {
    const header = '<https://acme.okta.com/api/v1/logs?limit=2>; rel="self", <https://acme.okta.com/api/v1/logs?limit=2&after=1655>; rel="next"';
    expect(linkRelation(header, 'next')).toBe('https://acme.okta.com/api/v1/logs?limit=2&after=1655');
    expect(linkRelation(header, 'prev')).toBeNull();
  });
  it('handles unquoted and multi-valued rels, and no header', () => {
    expect(linkRelation('<https://x/a?b=1,2>; rel=next', 'next')).toBe('https://x/a?b=1,2');
    expect(linkRelation('<https://x/a>; rel="next last"', 'last')).toBe('https://x/a');
    expect(linkRelation(null, 'next')).toBeNull();
  });
});
