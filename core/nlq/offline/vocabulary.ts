/**
 * The words the offline engine understands: event concepts (what happened), dimension nouns (what to group or
 * count by) and filler words that carry no meaning for the query. Anything else left in a question makes the
 * engine refuse, so adding a word here is a decision about what it means, written next to its SQL.
 */
import type { Dimension } from './plan';

export interface Concept {
  /** Lower-case pattern, matched on word boundaries. */
  readonly pattern: RegExp;
  /** Filter key: 'category' for the kind of event, other keys for modifiers. */
  readonly key: string;
  readonly sql: string;
  readonly label: string;
  /** An outcome the phrase implies ("failed logins" → failure; "logged in" → success). */
  readonly outcome?: 'success' | 'failure';
  /** An assumption to state when the concept is used. */
  readonly assumption?: string;
}

const login = "identity_action IN ('session_start', 'auth_success', 'auth_failure')";
export const loginAssumption =
  "a login (sign-in) is an event whose identity action is session_start, auth_success (including app SSO and AWS console sign-in) or auth_failure";
const loginNoun = String.raw`(?:(?:log-?in|sign-?in|logon|log\s+in|sign\s+in|authentication|auth)\s+attempts?|log-?ins|sign-?ins|log-?in|sign-?in|signins?|logons?|authentications?|auths?)`;

const identity = (action: string) => `identity_action = '${action}'`;

/** Order matters: the first pattern that matches consumes its words. */
export const concepts: readonly Concept[] = [
  {
    pattern: /\bmfa\s+fatigue\b|\bpush\s+(?:bombing|fatigue|spam(?:ming)?)\b/,
    key: 'category', sql: identity('mfa_deny'), label: 'denied MFA pushes (MFA fatigue)',
    assumption: 'MFA fatigue is read as denied MFA pushes (identity action mfa_deny)',
  },
  {
    pattern: /\b(?:denied|rejected|declined|refused)\s+(?:mfa|okta\s+verify|push)(?:\s+(?:push(?:es)?|prompts?|requests?|notifications?|challenges?|verifications?))?\b|\b(?:mfa|push|okta\s+verify)\s+(?:push(?:es)?\s+)?(?:denials?|rejections?|denies|deny|denied|rejected|declined)\b|\bpush(?:es)?\s+(?:were\s+)?(?:denied|rejected|declined)\b|\b(?:denied|rejected)\s+pushes\b/,
    key: 'category', sql: identity('mfa_deny'), label: 'denied MFA pushes',
  },
  {
    pattern: /\b(?:accepted|approved|successful)\s+(?:mfa|push(?:es)?|okta\s+verify)(?:\s+(?:push(?:es)?|challenges?|prompts?|verifications?|authentications?))?\b|\bmfa\s+(?:approvals?|accepts?|successes|verifications?)\b|\bauth(?:entications?)?\s+via\s+mfa\b/,
    key: 'category', sql: identity('mfa_accept'), label: 'accepted MFA verifications',
  },
  {
    pattern: /\b(?:(?:mfa|okta\s+verify|2fa)\s+)?push\s+(?:notifications?|requests?|prompts?)\b|\b(?:mfa|okta\s+verify|2fa)\s+(?:push(?:es)?|challenges?|prompts?|requests?|notifications?)\b|\bpushes\b/,
    key: 'category', sql: identity('mfa_challenge'), label: 'MFA challenges (pushes sent)',
  },
  {
    pattern: /\b(?:without|no|not\s+using|w\/o|missing)\s+(?:mfa|2fa|multi-?factor(?:\s+authentication)?)\b/,
    key: 'no_mfa', sql: "action = 'ConsoleLogin' AND json_extract(raw, '$.additionalEventData.MFAUsed') = 'No'",
    label: 'AWS console sign-ins without MFA',
    assumption: 'without MFA = AWS console sign-ins whose CloudTrail record says MFAUsed = No (the other sources do not record it per sign-in)',
  },
  {
    pattern: /\bmfa\s+(?:events?|activity|activities)\b|\b(?:mfa|2fa|multi-?factor(?:\s+authentication)?)\b/,
    key: 'category', sql: "identity_action IN ('mfa_challenge', 'mfa_accept', 'mfa_deny')", label: 'MFA events',
  },
  {
    pattern: new RegExp(String.raw`\b(?:fail(?:ed|ing|s)?|unable)\s+to\s+(?:log|sign)\s*(?:in|on)(?:to)?\b|\b(?:failed|unsuccessful|bad|invalid|rejected)\s+${loginNoun}\b|\b(?:log-?in|sign-?in|logon|authentication|auth)\s+failures?\b|\b(?:invalid|wrong|bad)\s+(?:credentials|passwords?)\b`),
    key: 'category', sql: login, label: 'logins', outcome: 'failure', assumption: loginAssumption,
  },
  {
    pattern: new RegExp(String.raw`\b(?:successful|succeeded)\s+${loginNoun}\b|\b(?:log-?in|sign-?in|logon|authentication)\s+successes\b`),
    key: 'category', sql: login, label: 'logins', outcome: 'success', assumption: loginAssumption,
  },
  {
    pattern: new RegExp(String.raw`\b${loginNoun}\b`),
    key: 'category', sql: login, label: 'logins', assumption: loginAssumption,
  },
  {
    pattern: /\b(?:tried|attempted|trying|attempting)\s+to\s+(?:log|sign)\s*(?:in|on)(?:to)?\b/,
    key: 'category', sql: login, label: 'logins', assumption: loginAssumption,
  },
  {
    pattern: /\b(?:logged|signed|log|sign|logging|signing)\s*(?:in|on)(?:to)?\b/,
    key: 'category', sql: login, label: 'logins', outcome: 'success',
    assumption: `${loginAssumption}; "logged in" means a successful one`,
  },
  {
    pattern: /\b(?:logouts?|log-?outs?|logged\s+out|log\s+out|sign-?outs?|signed\s+out|sign\s+out|logoffs?|session\s+ends?|sessions?\s+(?:that\s+|which\s+)?(?:were\s+|have\s+)?ended|ended\s+sessions?)\b/,
    key: 'category', sql: identity('session_end'), label: 'sign-outs (sessions ended)',
  },
  {
    pattern: /\b(?:sessions?\s+start(?:ed|s)?|new\s+sessions?|session\s+starts)\b/,
    key: 'category', sql: identity('session_start'), label: 'sessions started',
  },
  {
    pattern: /\b(?:privilege|admin(?:istrator)?|role|permission|super\s*admin(?:istrator)?)s?\s+(?:grants?|granted|escalations?|assignments?|assigned)\b|\bgrant(?:ed|s|ing)?\s+(?:(?:super\s*)?admin(?:istrator)?|privileges?|roles?|permissions?)(?:\s+(?:rights|privileges?|roles?|access))?\b|\bprivilege\s+escalations?\b|\bescalat(?:ed|ions?)\s+privileges?\b/,
    key: 'category', sql: identity('privilege_grant'), label: 'privilege grants',
  },
  {
    pattern: /\b(?:privilege|admin|role|permission)s?\s+(?:revocations?|revoked|removals?|removed)\b|\brevok(?:ed|es|ing)\s+(?:admin|privileges?|roles?|permissions?)\b/,
    key: 'category', sql: identity('privilege_revoke'), label: 'privilege revocations',
  },
  {
    pattern: /\b(?:access\s+keys?|api\s+keys?|keys?|tokens?)\s+(?:created|issued|generated|creations?)\b|\b(?:new|created)\s+(?:access\s+keys?|api\s+keys?|tokens)\b|\btokens?\s+issued\b|\bcreat(?:ed|e|ing)\s+(?:an?\s+)?(?:new\s+)?access\s+keys?\b/,
    key: 'category', sql: identity('token_issue'), label: 'keys or tokens issued',
  },
  {
    pattern: /\b(?:tokens?|keys?)\s+(?:revoked|revocations?)\b|\brevoked\s+(?:tokens?|keys?)\b/,
    key: 'category', sql: identity('token_revoke'), label: 'tokens revoked',
  },
  {
    pattern: /\b(?:new\s+)?(?:accounts?|users?)\s+(?:(?:were|was|have\s+been|has\s+been|got|being)\s+)?(?:created|creations?)\b|\b(?:new|created)\s+(?:accounts?|users)\b|\baccount\s+creations?\b|\bcreat(?:ed|e|ing)\s+(?:an?\s+)?(?:new\s+)?(?:accounts?|users?)\b/,
    key: 'category', sql: identity('account_create'), label: 'accounts created',
  },
  {
    pattern: /\b(?:accounts?|users?)\s+(?:(?:were|was|have\s+been|has\s+been|got|being)\s+)?(?:disabled|deactivated|suspended)\b|\b(?:disabled|deactivated|suspended)\s+(?:accounts?|users)\b|\b(?:account\s+)?deactivations?\b|\bdisabl(?:ed|e|ing)\s+(?:an?\s+)?(?:accounts?|users?)\b|\bdeactivat(?:ed|e|ing)\s+(?:an?\s+)?(?:accounts?|users?)\b/,
    key: 'category', sql: identity('account_disable'), label: 'accounts disabled',
  },
  {
    pattern: /\b(?:accounts?|users?)\s+(?:(?:were|was|have\s+been|has\s+been|got|being)\s+)?(?:enabled|activated|reactivated)\b|\b(?:enabled|activated|reactivated)\s+(?:accounts?|users)\b|\b(?:account\s+)?(?:re)?activations?\b/,
    key: 'category', sql: identity('account_enable'), label: 'accounts enabled',
  },
  {
    pattern: /\b(?:accounts?|users?)\s+(?:(?:were|was|have\s+been|has\s+been|got|being)\s+)?(?:deleted|removed)\b|\b(?:deleted|removed)\s+(?:accounts?|users)\b|\baccount\s+deletions?\b/,
    key: 'category', sql: identity('account_delete'), label: 'accounts deleted',
  },
  { pattern: /\bpassword\s+(?:changes?|changed|updates?|updated)\b|\bchanged\s+(?:their\s+|the\s+|a\s+)?passwords?\b/, key: 'category', sql: identity('password_change'), label: 'password changes' },
  { pattern: /\bpassword\s+resets?\b|\breset\s+(?:their\s+|the\s+|a\s+)?passwords?\b/, key: 'category', sql: identity('password_reset'), label: 'password resets' },
  { pattern: /\boauth\s+(?:consents?|grants?)\b|\bconsent\s+grants?\b|\bapp\s+consents?\b/, key: 'category', sql: identity('oauth_consent'), label: 'OAuth consents' },
  { pattern: /\b(?:mfa\s+|factor\s+)(?:enrollments?|enrolments?|registrations?)\b|\b(?:enrolled|registered)\s+(?:an?\s+)?(?:mfa\s+)?factors?\b/, key: 'category', sql: identity('factor_enroll'), label: 'MFA factor enrollments' },
  { pattern: /\b(?:mfa\s+|factor\s+)(?:removals?|resets?)\b|\bremoved\s+(?:an?\s+)?(?:mfa\s+)?factors?\b/, key: 'category', sql: identity('factor_remove'), label: 'MFA factor removals' },
  {
    pattern: /\b(?:security\s+)?threats?(?:\s+(?:detected|detections?|events?))?\b|\bthreatinsight\b/,
    key: 'category', sql: "action = 'security.threat.detected'", label: 'threats detected by the identity provider',
  },
  {
    pattern: /\b(?:access|permission|authori[sz]ation)\s+denied\b|\baccess\s*denied\b|\bdenied\s+(?:access|requests?|calls?|api\s+calls?)\b|\bdenied\b|\bunauthori[sz]ed\b|\bnot\s+authori[sz]ed\b/,
    key: 'denied', sql: "outcome = 'failure' AND instr(lower(outcome_reason), 'denied') > 0", label: 'denied',
    assumption: 'denied = failed events whose outcome reason mentions "denied" (e.g. AWS AccessDenied)',
  },
];

/** Nouns naming a dimension, longest first within each entry. */
export const dimensionNouns: readonly [string, Dimension][] = [
  ['user[\\s-]?agents?|browsers?|clients?', 'user_agent'],
  ['(?:source\\s+)?ip\\s+addresses|(?:source\\s+)?ip\\s+address|(?:source\\s+)?ips|(?:source\\s+)?ip|(?:ip\\s+)?addresses', 'src_ip'],
  ['(?:mfa\\s+)?factors?|mfa\\s+methods?|mfa\\s+types?', 'mfa_factor'],
  ['(?:principal|actor|identity|account)\\s+types?', 'actor_type'],
  ['users?|accounts?|actors?|principals?|identities|people|persons?|usernames?|employees?', 'actor'],
  ['countries|country|geos?|geographies|geolocations?|locations?|places?', 'src_country'],
  ['cities|city', 'src_city'],
  ['log\\s+sources?|data\\s+sources?|sources?|vendors?|integrations?|feeds?', 'source'],
  ['services?|apps?|applications?', 'service'],
  ['actions?|event\\s+types?|event\\s+names?|operations?|api\\s+calls?|activities|activity\\s+types?|types?\\s+of\\s+events?', 'action'],
  ['outcomes?|results?', 'outcome'],
  ['targets?|resources?|buckets?', 'target'],
  ['isps?|asns?|networks?|asn\\s+org(?:anisation|anization)?s?|internet\\s+providers?', 'src_asn_org'],
  ['identity\\s+actions?', 'identity_action'],
  ['severit(?:y|ies)|severity\\s+levels?', 'severity'],
];

export const alertDimensionNouns: readonly [string, Dimension][] = [
  ['severit(?:y|ies)|severity\\s+levels?|levels?', 'severity'],
  ['status(?:es)?|states?', 'status'],
  ['rules?|detections?|rule\\s+names?', 'rule_name'],
  ['assignees?|owners?|analysts?', 'assignee'],
];

/** Words that carry no meaning for the query. */
export const fillerWords = new Set(
  `a an the me my our us we i you your please pls can could would will shall should kindly show list display give get
  find fetch pull retrieve return see view tell what whats what's which who is are was were be been being do does did
  done has have had there here this that these those them they it its of in on at from for to into onto with within by
  and or all any every each some events event logs log entries entry records record activity activities rows data
  happened happen happening occurred occur occurring took place made make making performed perform seen recorded
  logged ones one only just also now then instead same query question but about how okay ok so than too as up out
  over during across per via through let lets let's look looking check know want need like i'd id'd around recent recently
  hey hi thanks thank anything something everything stuff things thing details info information full whole entire
  use used using uses came come comes coming called call calls sent received receive got gotten access accessed
  accessing someone anyone somebody anybody everyone everybody number
  their his her whose whom where yes did time times ever again`
    .split(/\s+/)
    .filter((w) => w !== ''),
);
