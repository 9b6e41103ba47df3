/**
 * Snowflake (`snowflake`), our own logsource `product: snowflake`: rows of the ACCOUNT_USAGE views (LOGIN_HISTORY,
 * QUERY_HISTORY, SESSIONS, GRANTS_TO_USERS, GRANTS_TO_ROLES, DATA_TRANSFER_HISTORY) under their upper-case
 * column names (`QUERY_TYPE`, `QUERY_TEXT`, `IS_SUCCESS`, `ROLE`).
 */
import type { LogsourceMapping } from '../ir';
import { normalizedColumnFields } from './field-targets';
import { knownFields } from './known-fields/snowflake';

const fields = normalizedColumnFields(knownFields);

export const snowflakeMappings: readonly LogsourceMapping[] = [
  { logsource: { product: 'snowflake' }, sources: ['snowflake'], fields, knownFields },
];
