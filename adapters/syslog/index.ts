/**
 * Syslog source: RFC 5424 and RFC 3164 (BSD) lines, with or without PRI or RFC 6587 octet counts, any other
 * text line as a plain message, and relays' JSON renderings of syslog messages.
 */
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { normalizeSyslogLine } from './normalize-syslog-line';

export const syslogSource: SourceAdapter = { id: 'syslog', name: 'Syslog (RFC 5424 / RFC 3164)', parse: normalizeSyslogLine, text: 'lines' };
