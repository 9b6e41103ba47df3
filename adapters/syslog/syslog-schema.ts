/**
 * Syslog as this source stores it, and the JSON shapes relays turn syslog into.
 *
 * - `SyslogMessage` is one message's fields under their RFC 5424 names
 *   (https://datatracker.ietf.org/doc/html/rfc5424 §6: PRI, VERSION, TIMESTAMP, HOSTNAME, APP-NAME, PROCID,
 *   MSGID, STRUCTURED-DATA, MSG; RFC 3164's TAG is APP-NAME and its `[pid]` PROCID). It is what a line's
 *   normalized event keeps in `raw`, so rules read `json_extract(raw, '$.app_name')` whatever the line's format.
 * - `syslogRelayRecordSchema` is a message a relay already turned into JSON: rsyslog / syslog-ng JSON templates,
 *   Vector's and Fluent Bit's syslog parsers, `journalctl -o json`. The message text is parsed as a line; the
 *   object's own fields fill in what the text lacks.
 */
import { z } from 'zod';
import { lenient } from '../shared/lenient';

/** SD-ID → PARAM-NAME → value (a list when the parameter repeats inside its element). */
export type StructuredData = Record<string, Record<string, string | string[]>>;

export interface SyslogMessage {
  pri: number | null;
  /** PRI div 8 (RFC 5424 §6.2.1, Table 1): 0 kern, 1 user, 4 auth, 10 authpriv, 16–23 local0–7… */
  facility: number | null;
  /** PRI mod 8 (Table 2): 0 Emergency … 7 Debug. */
  severity: number | null;
  version: number | null;
  /** The header's timestamp as written. */
  timestamp: string | null;
  hostname: string | null;
  app_name: string | null;
  procid: string | null;
  msgid: string | null;
  structured_data: StructuredData | null;
  msg: string | null;
}

const textOrNumber = lenient(z.union([z.string(), z.number()]));
const textField = lenient(z.string());

export const syslogRelayRecordSchema = z.looseObject({
  message: textField,
  msg: textField,
  MESSAGE: textField,
  hostname: textField,
  host: textField,
  _HOSTNAME: textField,
  app_name: textField,
  appname: textField,
  programname: textField,
  ident: textField,
  SYSLOG_IDENTIFIER: textField,
  procid: textOrNumber,
  pid: textOrNumber,
  _PID: textOrNumber,
  msgid: textField,
  severity: textOrNumber,
  PRIORITY: textOrNumber,
  facility: textOrNumber,
  SYSLOG_FACILITY: textOrNumber,
  timestamp: textOrNumber,
  '@timestamp': textOrNumber,
  time: textOrNumber,
  __REALTIME_TIMESTAMP: textOrNumber,
});
export type SyslogRelayRecord = z.infer<typeof syslogRelayRecordSchema>;
