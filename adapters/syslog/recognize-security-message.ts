/**
 * The few syslog messages whose meaning is cheap to read and unambiguous: OpenSSH's authentication results
 * and PAM session lines, and sudo's command log. Only messages of those programs (APP-NAME / TAG) are looked
 * at, with anchored regexes, so other lines cost one string comparison.
 *
 * - sshd `Accepted <method> for <user> from <ip> port <n>` → auth_success
 * - sshd `Failed <method> for [invalid user ]<user> from <ip> port <n>` → auth_failure
 *   (`Invalid user … from …`, logged before the same attempt's `Failed` line, is not counted twice)
 * - sshd `pam_unix(sshd:session): session opened|closed for user <user>` → session_start / session_end
 * - sudo `<user> : [<refusal> ; ]TTY=… ; PWD=… ; USER=<runas> ; COMMAND=<cmd>` → a command run as <runas>
 *   (success), or refused (failure with the refusal as reason; `… incorrect password attempts` → auth_failure)
 */
import type { IdentityAction, Outcome } from '../../core/schema/event';
import { ipAddress } from '../shared/lenient';

export interface SecurityReading {
  readonly class_uid: number;
  readonly class_name: string;
  readonly identity_action: IdentityAction | null;
  readonly outcome: Outcome;
  readonly outcome_reason: string | null;
  readonly actor: string | null;
  readonly src_ip: string | null;
  readonly target: string | null;
  readonly target_type: string | null;
}

const accepted = /^Accepted (\S+) for (.+?) from (\S+) port \d+/;
const failed = /^Failed (\S+) for (invalid user )?(.*?) from (\S+) port \d+/;
const pamSession = /^pam_unix\(sshd:session\): session (opened|closed) for user ([^\s(]+)/;
const sudoLine = /^\s*(\S+) : (.*)$/;

export function recognizeSecurityMessage(appName: string | null, msg: string | null): SecurityReading | null {
  if (!appName || !msg) return null;
  switch (appName.toLowerCase()) {
    case 'sshd':
    case 'sshd-session': // OpenSSH 9.8 moved per-connection logging to sshd-session
      return sshd(msg);
    case 'sudo':
      return sudo(msg);
    default:
      return null;
  }
}

const authentication = { class_uid: 3002, class_name: 'Authentication' } as const;

function sshd(msg: string): SecurityReading | null {
  if (msg.startsWith('Accepted ')) {
    const m = accepted.exec(msg);
    if (!m) return null;
    return { ...authentication, identity_action: 'auth_success', outcome: 'success', outcome_reason: null, actor: m[2]!, src_ip: ipAddress(m[3]), target: null, target_type: null };
  }
  if (msg.startsWith('Failed ')) {
    const m = failed.exec(msg);
    if (!m) return null;
    return {
      ...authentication,
      identity_action: 'auth_failure',
      outcome: 'failure',
      outcome_reason: m[2] ? `failed ${m[1]} (invalid user)` : `failed ${m[1]}`,
      actor: m[3] || null,
      src_ip: ipAddress(m[4]),
      target: null,
      target_type: null,
    };
  }
  if (msg.startsWith('pam_unix(sshd:session)')) {
    const m = pamSession.exec(msg);
    if (!m) return null;
    const opened = m[1] === 'opened';
    return { ...authentication, identity_action: opened ? 'session_start' : 'session_end', outcome: 'success', outcome_reason: null, actor: m[2]!, src_ip: null, target: null, target_type: null };
  }
  return null;
}

function sudo(msg: string): SecurityReading | null {
  if (!msg.includes('COMMAND=')) return null;
  const m = sudoLine.exec(msg);
  if (!m) return null;
  let refusal: string | null = null;
  let runAs: string | null = null;
  for (const part of m[2]!.split(' ; ')) {
    const eq = part.indexOf('=');
    const key = eq > 0 ? part.slice(0, eq) : '';
    if (key && /^[A-Z_]+$/.test(key)) {
      if (key === 'USER') runAs = part.slice(eq + 1);
      if (key === 'COMMAND') break; // the command is last and may itself contain " ; "
    } else if (refusal === null) {
      refusal = part.trim();
    }
  }
  const badPassword = refusal !== null && refusal.includes('incorrect password');
  return {
    class_uid: badPassword ? 3002 : 1007,
    class_name: badPassword ? 'Authentication' : 'Process Activity',
    identity_action: badPassword ? 'auth_failure' : null,
    outcome: refusal ? 'failure' : 'success',
    outcome_reason: refusal,
    actor: m[1]!,
    src_ip: null,
    target: runAs,
    target_type: runAs ? 'user' : null,
  };
}
