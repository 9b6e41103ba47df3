/** Snowflake source: ACCOUNT_USAGE view rows (LOGIN_HISTORY, QUERY_HISTORY, SESSIONS, GRANTS_TO_*, DATA_TRANSFER_HISTORY). */
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { normalizeSnowflakeRow } from './normalize-snowflake-row';

export const snowflakeSource: SourceAdapter = {
  id: 'snowflake',
  name: 'Snowflake Account Usage',
  parse: normalizeSnowflakeRow,
};
