/**
 * An `AlertIntent` → Sigma documents in the house style of rules/sigma/identity: a base rule over the identity
 * view (`product: mantissa, service: identity`, normalized columns only, so strict mapping resolves it for every
 * identity source) or over CloudTrail for the AWS root user, and — when the request counts — a correlation
 * (`event_count`, or `value_count` for "N different …") over it, grouped and windowed as asked.
 *
 * Pure: ids come from the caller's `newId`, the date from its `now`.
 */
import { stringify } from 'yaml';
import type { AlertIntent, EventKind, GroupField, SigmaLevel } from './read-request';

export interface RenderOptions {
  readonly request: string;
  readonly now: Date;
  readonly newId: () => string;
}

export interface RenderedRule {
  readonly yaml: string;
  /** Titles of the documents, correlation first. */
  readonly titles: readonly string[];
  /** One sentence saying what the rule alerts on. */
  readonly explanation: string;
}

/** Okta, Entra ID, Google Workspace, Slack, GitHub and OneLogin event names of an administrator role grant (as in identity_admin_role_granted.yml). */
const adminGrantActions = [
  'user.account.privilege.grant',
  'group.privilege.grant',
  'Add member to role',
  'Add eligible member to role',
  'Add scoped member to role',
  'Add member to role in PIM completed (permanent)',
  'Add member to role in PIM completed (timebound)',
  'ASSIGN_ROLE',
  'GRANT_ADMIN_PRIVILEGE',
  'role_change_to_admin',
  'role_change_to_owner',
  'business.add_admin',
  'PRIVILEGE_GRANTED_TO_USER',
  'PRIVILEGE_GRANTED_TO_ACCOUNT',
  'USER_ROLE_MANAGEMENT_GRANTED',
];

const fieldNoun: Record<GroupField, { one: string; many: string }> = {
  actor: { one: 'for one user', many: 'users' },
  src_ip: { one: 'from one source address', many: 'source addresses' },
  source: { one: 'in one log source', many: 'log sources' },
  src_country: { one: 'from one country', many: 'countries' },
};

interface Attack {
  readonly tags: readonly string[];
  readonly reference: string | null;
}

export function renderRule(intent: AlertIntent, options: RenderOptions): RenderedRule {
  const date = options.now.toISOString().slice(0, 10);
  const author = `Mantissa Log (generated from: "${options.request.replace(/\s+/g, ' ').trim()}")`;
  const what = eventPhrase(intent);
  const level = intent.level ?? defaultLevel(intent);
  const attack = attackOf(intent);
  const falsepositives = falsePositivesOf(intent);
  const assumptions = intent.assumptions.length > 0 ? ` Assumed: ${intent.assumptions.join('; ')}.` : '';
  const baseId = options.newId();
  const baseName = `nl_${slug(intent.events.label)}_${baseId.replace(/-/g, '').slice(-8)}`;

  const base: Record<string, unknown> = {
    title: capitalise(what).slice(0, 200),
    id: baseId,
    ...(intent.count ? { name: baseName } : { status: 'experimental' }),
    description: intent.count
      ? `One event counted by the correlation above: ${what}.`
      : `${capitalise(what)}. Generated from the request "${options.request.trim()}".${assumptions}`,
    ...(intent.count ? {} : attack.reference ? { references: [attack.reference] } : {}),
    author,
    date,
    ...(intent.count ? {} : { tags: attack.tags }),
    logsource: logsourceOf(intent.events),
    detection: detectionOf(intent),
    ...(intent.count ? {} : { falsepositives, level }),
  };
  if (!intent.count) {
    const yaml = toYaml([base]);
    return { yaml, titles: [base.title as string], explanation: `Alerts on every ${what}.` };
  }

  const count = intent.count;
  const groupText = intent.groupBy.length > 0 ? ` ${intent.groupBy.map((g) => fieldNoun[g].one).join(' and ')}` : '';
  const countText = count.distinct
    ? `${count.gte} or more different ${fieldNoun[count.distinct].many} with ${what}`
    : `${count.gte} or more ${what}`;
  const summary = `${countText}${groupText} within ${intent.timespanLabel ?? intent.timespan}`;
  const correlation: Record<string, unknown> = {
    title: capitalise(summary).slice(0, 200),
    id: options.newId(),
    status: 'experimental',
    description: `${capitalise(summary)} (the request said "${count.phrase}"). Generated from the request "${options.request.trim()}".${assumptions}`,
    ...(attack.reference ? { references: [attack.reference] } : {}),
    author,
    date,
    tags: attack.tags,
    correlation: {
      type: count.distinct ? 'value_count' : 'event_count',
      rules: [baseName],
      ...(intent.groupBy.length > 0 ? { 'group-by': [...intent.groupBy] } : {}),
      timespan: intent.timespan,
      condition: count.distinct ? { field: count.distinct, gte: count.gte } : { gte: count.gte },
    },
    falsepositives,
    level,
  };
  if (count.distinct || intent.groupBy.length > 0) {
    // A count per address needs the address, as in mr_identity_password_spray_single_source.yml.
    const detection = base.detection as { selection: Record<string, unknown> };
    for (const field of [...intent.groupBy, ...(count.distinct ? [count.distinct] : [])]) {
      if (field !== 'source' && field !== 'actor') detection.selection[`${field}|exists`] = true;
    }
  }
  return { yaml: toYaml([correlation, base]), titles: [correlation.title as string, base.title as string], explanation: `Alerts on ${summary}.` };
}

function toYaml(documents: readonly Record<string, unknown>[]): string {
  return documents.map((d) => stringify(d, { indent: 4, lineWidth: 0 })).join('---\n');
}

function logsourceOf(events: EventKind): Record<string, string> {
  return events.kind === 'aws_root' || events.kind === 'aws_console_no_mfa' ? { product: 'aws', service: 'cloudtrail' } : { product: 'mantissa', service: 'identity' };
}

function detectionOf(intent: AlertIntent): Record<string, unknown> {
  const selection: Record<string, unknown> = {};
  const detection: Record<string, unknown> = { selection };
  const filters: string[] = [];
  const extra: string[] = [];
  const events = intent.events;
  switch (events.kind) {
    case 'identity':
      selection.identity_action = events.actions.length === 1 ? events.actions[0] : [...events.actions];
      if (events.adminOnly) {
        detection.selection_admin_role = { action: adminGrantActions };
        extra.push('selection_admin_role');
      }
      break;
    case 'vendor_action':
      selection.action = events.action;
      break;
    case 'denied':
      selection.outcome = 'failure';
      selection['outcome_reason|contains'] = 'denied';
      break;
    case 'aws_root':
      // As rules/sigma/cloud/aws_root_account_activity.yml: root, not AWS acting on its behalf.
      selection['userIdentity.type'] = 'Root';
      detection.filter_main_service_event = { eventType: 'AwsServiceEvent' };
      detection.filter_main_invoked_by_service = { 'userIdentity.invokedBy|exists': true };
      filters.push('1 of filter_main_*');
      break;
    case 'aws_console_no_mfa':
      selection.eventName = 'ConsoleLogin';
      selection['additionalEventData.MFAUsed'] = 'No';
      break;
  }
  if (intent.outcome && events.kind !== 'denied') selection.outcome = intent.outcome;
  if (intent.sources.length > 0) selection.source = intent.sources.length === 1 ? intent.sources[0] : [...intent.sources];
  if (intent.country) {
    // Sources write a country as its name (Okta, Duo) or its ISO code (Entra ID, Google Workspace).
    const values = [intent.country.country.name, intent.country.country.alpha2];
    if (intent.country.negated) {
      selection['src_country|exists'] = true;
      detection.filter_country = { src_country: values };
      filters.push('filter_country');
    } else {
      selection.src_country = values;
    }
  }
  const positive = ['selection', ...extra].join(' and ');
  detection.condition = filters.length > 0 ? `${positive} and not ${filters.length === 1 ? filters[0] : `(${filters.join(' or ')})`}` : positive;
  return detection;
}

function eventPhrase(intent: AlertIntent): string {
  let phrase = intent.events.label;
  if (intent.outcome === 'failure' && intent.events.kind !== 'denied') phrase = `failed ${phrase}`;
  if (intent.outcome === 'success') phrase = `successful ${phrase}`;
  if (intent.sources.length > 0) phrase += ` in ${intent.sources.join(' or ')}`;
  if (intent.country) phrase += intent.country.negated ? ` from outside ${intent.country.country.name}` : ` from ${intent.country.country.name}`;
  return phrase;
}

function defaultLevel(intent: AlertIntent): SigmaLevel {
  const e = intent.events;
  if (e.kind === 'aws_root' || e.kind === 'aws_console_no_mfa') return 'high';
  if (intent.country && !intent.country.negated) return 'high';
  if (e.kind === 'identity' && (e.adminOnly || e.actions.includes('mfa_deny'))) return 'high';
  if (intent.count?.distinct) return 'high';
  return 'medium';
}

function attackOf(intent: AlertIntent): Attack {
  const e = intent.events;
  const t = (id: string, ...tactics: string[]): Attack => ({
    tags: [...tactics.map((x) => `attack.${x}`), `attack.${id.toLowerCase()}`],
    reference: `https://attack.mitre.org/techniques/${id.replace('.', '/')}/`,
  });
  if (e.kind === 'aws_root') return t('T1078.004', 'privilege-escalation', 'initial-access');
  if (e.kind === 'aws_console_no_mfa') return t('T1078.004', 'initial-access');
  if (e.kind === 'identity') {
    const a = e.actions;
    if (a.length === 1 && a[0] === 'auth_failure' && intent.count) {
      if (intent.count.distinct === 'actor') return t('T1110.003', 'credential-access');
      if (intent.groupBy.includes('actor')) return t('T1110.001', 'credential-access');
      return t('T1110', 'credential-access');
    }
    if (a.includes('mfa_deny') && intent.count) return t('T1621', 'credential-access');
    if (a[0] === 'privilege_grant') return e.adminOnly ? t('T1098.003', 'persistence', 'privilege-escalation') : t('T1098', 'persistence', 'privilege-escalation');
    if (a[0] === 'factor_remove') return t('T1556.006', 'defense-evasion', 'persistence', 'credential-access');
    if (a[0] === 'token_issue') return t('T1098.001', 'persistence');
    if (a[0] === 'account_create') return t('T1136', 'persistence');
    if (a[0] === 'account_delete' || a[0] === 'account_disable') return t('T1531', 'impact');
    if (intent.country && !intent.country.negated && (a.includes('auth_success') || a.includes('session_start'))) return t('T1078', 'initial-access');
  }
  return { tags: [], reference: null };
}

function falsePositivesOf(intent: AlertIntent): string[] {
  const e = intent.events;
  if (e.kind === 'aws_root') return ['Tasks that only root can do (closing the account, changing the support plan), when planned'];
  if (e.kind === 'identity' && e.actions.length === 1 && e.actions[0] === 'auth_failure') {
    return intent.count?.distinct
      ? ['A shared egress address (corporate NAT, VPN) in front of many users mistyping passwords']
      : ['A script or mail client retrying an expired or rotated password', 'A user who forgot a recently changed password'];
  }
  if (e.kind === 'identity' && e.actions.includes('mfa_deny')) return ['A user with a broken authenticator app, or accidental denials on a new device'];
  if (e.kind === 'identity' && e.actions[0] === 'privilege_grant') return ['Planned administrator onboarding or an approved role change'];
  if (e.kind === 'identity' && e.actions[0] === 'factor_remove') return ['Help-desk resets for users who lost or replaced their phone'];
  if (intent.country) return ['Travel, VPN or cloud-proxy egress in that country'];
  return ['Planned administrative activity'];
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 40);
}
