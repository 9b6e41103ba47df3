import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildDemoOrganisation, DEMO_AWS_ACCOUNT_ID, DEMO_EMAIL_DOMAIN } from './organisation';

const TEST_NET = /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$/;

describe('buildDemoOrganisation', () => {
  const org = buildDemoOrganisation(1, 200);

  it('gives everyone a unique address at the fictitious domain', () => {
    const emails = org.users.map((u) => u.email);
    expect(new Set(emails).size).toBe(emails.length);
    for (const email of emails) {
      expect(email).toMatch(/^[a-z0-9.]+@acme-demo\.test$/);
      expect(z.email().safeParse(email).success).toBe(true);
    }
    expect(DEMO_EMAIL_DOMAIN.endsWith('.test')).toBe(true);
  });

  it('has three admins, all with an Okta admin role, the platform engineer among them', () => {
    expect(org.admins.map((u) => [u.department, u.adminRole])).toEqual([
      ['it', 'Super Administrator'],
      ['security', 'Organization Administrator'],
      ['engineering', 'Super Administrator'],
    ]);
  });

  it('gives IAM users to engineers and security people only, in the fictitious account', () => {
    expect(org.awsUsers.length).toBeGreaterThan(20);
    for (const user of org.users) {
      expect(user.aws !== null).toBe(user.department === 'engineering' || user.department === 'security');
    }
    for (const user of org.awsUsers) {
      expect(user.aws?.arn).toBe(`arn:aws:iam::${DEMO_AWS_ACCOUNT_ID}:user/${user.aws?.userName}`);
      expect(user.aws?.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    }
    expect(DEMO_AWS_ACCOUNT_ID).toMatch(/^\d{12}$/);
  });

  it('puts office egress addresses in TEST-NET-1 and home addresses in valid public or documentation ranges', () => {
    for (const user of org.users) {
      expect(user.officeOrigin.ip).toMatch(TEST_NET);
      const home = user.homeOrigin;
      if (home.ipVersion === 'V6') {
        expect(home.ip.startsWith('2001:db8:')).toBe(true);
        expect(z.ipv6().safeParse(home.ip).success).toBe(true);
      } else {
        expect(z.ipv4().safeParse(home.ip).success).toBe(true);
        expect(home.ip.startsWith(`${home.provider.v4Prefix[0]}.${home.provider.v4Prefix[1]}.`)).toBe(true);
      }
      expect(home.provider.domain.endsWith('.example')).toBe(true);
    }
  });

  it('uses documentation autonomous system numbers only', () => {
    for (const user of org.users) {
      for (const origin of [user.officeOrigin, user.homeOrigin]) {
        const asn = origin.provider.asNumber;
        expect((asn >= 64496 && asn <= 64511) || (asn >= 65536 && asn <= 65551)).toBe(true);
      }
    }
  });

  it('mixes departments and offices', () => {
    expect(new Set(org.users.map((u) => u.department)).size).toBe(8);
    expect(new Set(org.users.map((u) => u.office.id)).size).toBe(8);
  });

  it('makes Okta ids of 20 characters ending with the org suffix', () => {
    for (const user of org.users) {
      expect(user.oktaId).toMatch(/^00u[A-Za-z0-9]{17}$/);
      expect(user.oktaId.endsWith(org.oktaIdSuffix)).toBe(true);
    }
  });

  it('keeps existing people unchanged when the organisation grows', () => {
    const smaller = buildDemoOrganisation(1, 50);
    expect(JSON.stringify(smaller.users)).toBe(JSON.stringify(org.users.slice(0, 50)));
  });

  it('draws different people from a different seed', () => {
    const other = buildDemoOrganisation(2, 200);
    expect(other.users.map((u) => u.email)).not.toEqual(org.users.map((u) => u.email));
  });
});
