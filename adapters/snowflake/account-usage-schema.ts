/**
 * Snowflake ACCOUNT_USAGE rows, as exported (one JSON object per row, Snowflake's upper-case column names):
 * - LOGIN_HISTORY: https://docs.snowflake.com/en/sql-reference/account-usage/login_history
 * - QUERY_HISTORY: https://docs.snowflake.com/en/sql-reference/account-usage/query_history
 * - GRANTS_TO_USERS: https://docs.snowflake.com/en/sql-reference/account-usage/grants_to_users
 * - GRANTS_TO_ROLES: https://docs.snowflake.com/en/sql-reference/account-usage/grants_to_roles
 * - DATA_TRANSFER_HISTORY: https://docs.snowflake.com/en/sql-reference/account-usage/data_transfer_history
 * - SESSIONS: https://docs.snowflake.com/en/sql-reference/account-usage/sessions
 *
 * Invariants: every column is optional and lenient (exports stringify numbers, send "" for NULL, or drop
 * columns); the view a row comes from is recognised from its columns alone, since an export carries no view
 * name. Some exporters lower-case column names: `upperCaseKeys` restores Snowflake's casing first.
 */
import { z } from 'zod';
import { lenient } from '../shared/lenient';

/** A column Snowflake types as a number or string; exports send either. */
const scalar = lenient(z.union([z.string(), z.number(), z.boolean()]).nullable());
const str = lenient(z.string().nullable());
const time = lenient(z.union([z.string(), z.number()]).nullable());

export const loginHistoryRowSchema = z.looseObject({
  EVENT_ID: scalar,
  EVENT_TIMESTAMP: time,
  EVENT_TYPE: str,
  USER_NAME: str,
  CLIENT_IP: str,
  REPORTED_CLIENT_TYPE: str,
  REPORTED_CLIENT_VERSION: scalar,
  FIRST_AUTHENTICATION_FACTOR: str,
  SECOND_AUTHENTICATION_FACTOR: str,
  IS_SUCCESS: scalar,
  ERROR_CODE: scalar,
  ERROR_MESSAGE: str,
  RELATED_EVENT_ID: scalar,
  CONNECTION: str,
});
export type LoginHistoryRow = z.infer<typeof loginHistoryRowSchema>;

export const queryHistoryRowSchema = z.looseObject({
  QUERY_ID: scalar,
  QUERY_TEXT: str,
  QUERY_TYPE: str,
  DATABASE_NAME: str,
  SCHEMA_NAME: str,
  SESSION_ID: scalar,
  USER_NAME: str,
  ROLE_NAME: str,
  WAREHOUSE_NAME: str,
  EXECUTION_STATUS: str,
  ERROR_CODE: scalar,
  ERROR_MESSAGE: str,
  START_TIME: time,
  END_TIME: time,
  /** ACCESS_HISTORY rows share QUERY_ID and name their time this way. */
  QUERY_START_TIME: time,
  ROWS_PRODUCED: scalar,
});
export type QueryHistoryRow = z.infer<typeof queryHistoryRowSchema>;

export const grantsToUsersRowSchema = z.looseObject({
  CREATED_ON: time,
  DELETED_ON: time,
  ROLE: str,
  GRANTED_TO: str,
  GRANTEE_NAME: str,
  GRANTED_BY: str,
});
export type GrantsToUsersRow = z.infer<typeof grantsToUsersRowSchema>;

export const grantsToRolesRowSchema = z.looseObject({
  CREATED_ON: time,
  MODIFIED_ON: time,
  DELETED_ON: time,
  PRIVILEGE: str,
  GRANTED_ON: str,
  NAME: str,
  TABLE_CATALOG: str,
  TABLE_SCHEMA: str,
  GRANTED_TO: str,
  GRANTEE_NAME: str,
  GRANT_OPTION: scalar,
  GRANTED_BY: str,
});
export type GrantsToRolesRow = z.infer<typeof grantsToRolesRowSchema>;

export const dataTransferHistoryRowSchema = z.looseObject({
  START_TIME: time,
  END_TIME: time,
  SOURCE_CLOUD: str,
  SOURCE_REGION: str,
  TARGET_CLOUD: str,
  TARGET_REGION: str,
  BYTES_TRANSFERRED: scalar,
  TRANSFER_TYPE: str,
});
export type DataTransferHistoryRow = z.infer<typeof dataTransferHistoryRowSchema>;

export const sessionsRowSchema = z.looseObject({
  SESSION_ID: scalar,
  CREATED_ON: time,
  USER_NAME: str,
  AUTHENTICATION_METHOD: str,
  LOGIN_EVENT_ID: scalar,
  CLIENT_APPLICATION_ID: str,
  CLIENT_APPLICATION_VERSION: scalar,
  CLOSED_REASON: str,
});
export type SessionsRow = z.infer<typeof sessionsRowSchema>;

export type SnowflakeView =
  | 'login_history'
  | 'query_history'
  | 'grants_to_users'
  | 'grants_to_roles'
  | 'data_transfer_history'
  | 'sessions';

/**
 * The ACCOUNT_USAGE view a row comes from, by columns that only that view has (checked in an order where
 * earlier views own their marker columns: QUERY_HISTORY also has SESSION_ID, GRANTS_TO_ROLES also has
 * GRANTEE_NAME). Null when the row has none of them.
 */
export function detectSnowflakeView(row: Record<string, unknown>): SnowflakeView | null {
  if ('EVENT_TYPE' in row || 'IS_SUCCESS' in row || 'FIRST_AUTHENTICATION_FACTOR' in row) return 'login_history';
  if ('QUERY_ID' in row || 'QUERY_TEXT' in row || 'EXECUTION_STATUS' in row) return 'query_history';
  if ('LOGIN_EVENT_ID' in row || 'AUTHENTICATION_METHOD' in row) return 'sessions';
  if ('PRIVILEGE' in row || 'GRANTED_ON' in row) return 'grants_to_roles';
  if ('GRANTEE_NAME' in row || 'ROLE' in row) return 'grants_to_users';
  if ('BYTES_TRANSFERRED' in row || 'TRANSFER_TYPE' in row || 'TARGET_CLOUD' in row) return 'data_transfer_history';
  return null;
}

/** Snowflake column names are upper-case; a row whose exporter lower-cased them gets them back. */
export function upperCaseKeys(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in row) out[key.toUpperCase()] = row[key];
  return out;
}
