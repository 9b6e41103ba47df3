/**
 * Syslog lines (`syslog`) as Sigma's Linux logsources — `product: linux` with `service: syslog` (every line),
 * `sshd`, `sudo`, `cron` (the program named in the line) and `auth` (sshd and sudo, the programs whose
 * authentication messages the parser reads) — and our own `product: syslog`.
 *
 * `raw` is RFC 5424's names (`hostname`, `app_name`, `procid`, `msgid`, `msg`, `structured_data.*`) whatever
 * the line's format; Sigma's Linux rules are mostly keyword rules, which match the message text.
 */
import type { LogsourceMapping } from '../ir';
import { json, normalizedColumnFields } from './field-targets';
import { knownFields as syslogFields } from './known-fields/syslog';
import { equals } from './where-conditions';

const knownFields = [...syslogFields, 'structured_data.*'];
const fields = {
  ...normalizedColumnFields(knownFields),
  // Names other syslog tools give the same parts of a line.
  host: [json('hostname')],
  program: [json('app_name')],
  pid: [json('procid')],
};

export const syslogMappings: readonly LogsourceMapping[] = [
  { logsource: { product: 'linux', service: 'syslog' }, sources: ['syslog'], fields, knownFields },
  { logsource: { product: 'linux', service: 'sshd' }, sources: ['syslog'], where: equals('app_name', 'sshd', 'sshd-session'), fields, knownFields },
  { logsource: { product: 'linux', service: 'sudo' }, sources: ['syslog'], where: equals('app_name', 'sudo'), fields, knownFields },
  { logsource: { product: 'linux', service: 'cron' }, sources: ['syslog'], where: equals('app_name', 'cron', 'crond', 'CRON'), fields, knownFields },
  { logsource: { product: 'linux', service: 'auth' }, sources: ['syslog'], where: equals('app_name', 'sshd', 'sshd-session', 'sudo'), fields, knownFields },
  { logsource: { product: 'syslog' }, sources: ['syslog'], fields, knownFields },
];
