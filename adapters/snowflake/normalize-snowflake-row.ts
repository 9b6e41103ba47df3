/**
 * Snowflake ACCOUNT_USAGE row → normalized event. Pure; never throws. The view is detected from the row's
 * columns (account-usage-schema); a row none of whose columns belongs to a supported view is refused, any
 * other object is kept with what it has.
 *
 * Invariants:
 * - Snowflake timestamps without a zone are read as UTC (toIsoMillis); "2024-10-10 12:56:35.822 -0700" keeps
 *   its offset.
 * - GRANTS_TO_USERS / GRANTS_TO_ROLES are state tables: a row with DELETED_ON set is the revocation, at that
 *   time; otherwise it is the grant, at CREATED_ON.
 */
import type { EventDraft, IdentityAction, Outcome, ParseContext, ParseResult, RecordParser } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { isPlainObject } from '../../core/ingest/split-records';
import { ipAddress, principalName, text } from '../shared/lenient';
import {
  dataTransferHistoryRowSchema,
  detectSnowflakeView,
  grantsToRolesRowSchema,
  grantsToUsersRowSchema,
  loginHistoryRowSchema,
  queryHistoryRowSchema,
  sessionsRowSchema,
  upperCaseKeys,
  type SnowflakeView,
} from './account-usage-schema';

const authentication = [3002, 'Authentication'] as const;
const accountChange = [3001, 'Account Change'] as const;
const userAccess = [3005, 'User Access Management'] as const;
/** OCSF 6005: queries read and write a datastore. */
const datastore = [6005, 'Datastore Activity'] as const;
const network = [4001, 'Network Activity'] as const;

export const normalizeSnowflakeRow: RecordParser = (record, ctx): ParseResult => {
  if (!isPlainObject(record)) {
    return {
      ok: false,
      reason: 'not_an_object',
      message: `expected a Snowflake ACCOUNT_USAGE row (a JSON object), got ${Array.isArray(record) ? 'an array' : typeof record}`,
    };
  }
  let row = record;
  let view = detectSnowflakeView(row);
  if (view === null) {
    row = upperCaseKeys(record);
    view = detectSnowflakeView(row);
  }
  if (view === null) {
    return {
      ok: false,
      reason: 'unrecognized_shape',
      message:
        'not a Snowflake ACCOUNT_USAGE row: it has none of the columns of LOGIN_HISTORY (EVENT_TYPE, IS_SUCCESS), QUERY_HISTORY (QUERY_ID), SESSIONS (LOGIN_EVENT_ID), GRANTS_TO_ROLES (PRIVILEGE), GRANTS_TO_USERS (GRANTEE_NAME, ROLE) or DATA_TRANSFER_HISTORY (BYTES_TRANSFERRED)',
    };
  }
  return { ok: true, event: normalizeView(view, row, ctx) };
};

function normalizeView(view: SnowflakeView, row: Record<string, unknown>, ctx: ParseContext): EventDraft {
  switch (view) {
    case 'login_history':
      return loginEvent(row, ctx);
    case 'query_history':
      return queryEvent(row, ctx);
    case 'sessions':
      return sessionEvent(row, ctx);
    case 'grants_to_users':
      return userGrantEvent(row, ctx);
    case 'grants_to_roles':
      return roleGrantEvent(row, ctx);
    case 'data_transfer_history':
      return dataTransferEvent(row, ctx);
  }
}

function loginEvent(record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  const r = loginHistoryRowSchema.parse(record);
  const type = text(r.EVENT_TYPE)?.toUpperCase() ?? 'LOGIN';
  const outcome = yesNo(r.IS_SUCCESS);
  const errorCode = scalarText(r.ERROR_CODE);
  const errorMessage = text(r.ERROR_MESSAGE);
  return {
    ...blankEvent(ctx, toIsoMillis(r.EVENT_TIMESTAMP)),
    event_id: scalarText(r.EVENT_ID),
    class_uid: authentication[0],
    class_name: authentication[1],
    action: type,
    identity_action: loginIdentity(type, outcome, errorMessage),
    outcome,
    outcome_reason: [errorCode, errorMessage].filter(Boolean).join(': ') || null,
    actor: principalName(r.USER_NAME),
    src_ip: ipAddress(r.CLIENT_IP),
    user_agent: clientLabel(text(r.REPORTED_CLIENT_TYPE), scalarText(r.REPORTED_CLIENT_VERSION)),
    service: text(r.CONNECTION),
    mfa_factor: text(r.SECOND_AUTHENTICATION_FACTOR),
  };
}

function loginIdentity(type: string, outcome: Outcome, errorMessage: string | null): IdentityAction | null {
  if (type === 'LOGOUT') return outcome === 'failure' ? null : 'session_end';
  if (type !== 'LOGIN') return null;
  if (outcome === 'success') return 'auth_success';
  if (outcome !== 'failure') return null;
  // A refused second factor shows in the error: EXT_AUTHN_* (Duo push denied or timed out) or an MFA_* code.
  const upper = errorMessage?.toUpperCase() ?? '';
  return upper.includes('EXT_AUTHN') || upper.includes('MFA') || upper.includes('DUO') ? 'mfa_deny' : 'auth_failure';
}

function queryEvent(record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  const r = queryHistoryRowSchema.parse(record);
  const queryType = text(r.QUERY_TYPE)?.toUpperCase() ?? 'QUERY';
  const outcome = executionOutcome(text(r.EXECUTION_STATUS));
  const identity = outcome === 'success' ? queryIdentity(queryType, text(r.QUERY_TEXT)) : null;
  const cls = identity === 'privilege_grant' || identity === 'privilege_revoke' ? userAccess : identity ? accountChange : datastore;
  const database = text(r.DATABASE_NAME);
  const schema = text(r.SCHEMA_NAME);
  const errorCode = scalarText(r.ERROR_CODE);
  const errorMessage = text(r.ERROR_MESSAGE);
  return {
    ...blankEvent(ctx, toIsoMillis(r.START_TIME) ?? toIsoMillis(r.QUERY_START_TIME) ?? toIsoMillis(r.END_TIME)),
    event_id: scalarText(r.QUERY_ID),
    class_uid: cls[0],
    class_name: cls[1],
    action: queryType,
    identity_action: identity,
    outcome,
    outcome_reason: [errorCode, errorMessage].filter(Boolean).join(': ') || null,
    actor: principalName(r.USER_NAME),
    service: text(r.WAREHOUSE_NAME),
    target: database ? (schema ? `${database}.${schema}` : database) : null,
    target_type: database ? (schema ? 'schema' : 'database') : null,
    session_id: scalarText(r.SESSION_ID),
    message: text(r.QUERY_TEXT),
  };
}

function executionOutcome(status: string | null): Outcome {
  switch (status?.toUpperCase()) {
    case 'SUCCESS':
      return 'success';
    case 'FAIL':
    case 'FAILED_WITH_ERROR':
    case 'FAILED_WITH_INCIDENT':
    case 'INCIDENT':
      return 'failure';
    default:
      return 'unknown'; // RUNNING, QUEUED, BLOCKED, RESUMING_WAREHOUSE, or absent
  }
}

/** User-management statements, by QUERY_TYPE; ALTER USER is told apart by what it sets. */
function queryIdentity(queryType: string, queryText: string | null): IdentityAction | null {
  switch (queryType) {
    case 'CREATE_USER':
      return 'account_create';
    case 'DROP_USER':
      return 'account_delete';
    case 'GRANT':
      return 'privilege_grant';
    case 'REVOKE':
      return 'privilege_revoke';
    case 'ALTER_USER': {
      const sql = queryText?.toUpperCase().replace(/\s+/g, '') ?? '';
      if (sql.includes('DISABLED=TRUE')) return 'account_disable';
      if (sql.includes('DISABLED=FALSE')) return 'account_enable';
      if (sql.includes('RESETPASSWORD')) return 'password_reset';
      if (sql.includes('PASSWORD=')) return 'password_change';
      return null;
    }
    default:
      return null;
  }
}

function sessionEvent(record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  const r = sessionsRowSchema.parse(record);
  return {
    ...blankEvent(ctx, toIsoMillis(r.CREATED_ON)),
    event_id: scalarText(r.SESSION_ID),
    class_uid: authentication[0],
    class_name: authentication[1],
    action: 'SESSION',
    identity_action: 'session_start',
    outcome: 'success',
    actor: principalName(r.USER_NAME),
    user_agent: text(r.CLIENT_APPLICATION_ID) ?? scalarText(r.CLIENT_APPLICATION_VERSION),
    session_id: scalarText(r.SESSION_ID),
    message: text(r.AUTHENTICATION_METHOD),
  };
}

function userGrantEvent(record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  const r = grantsToUsersRowSchema.parse(record);
  const deleted = toIsoMillis(r.DELETED_ON);
  const role = text(r.ROLE);
  const grantee = text(r.GRANTEE_NAME);
  return {
    ...blankEvent(ctx, deleted ?? toIsoMillis(r.CREATED_ON)),
    class_uid: userAccess[0],
    class_name: userAccess[1],
    action: deleted ? 'REVOKE_ROLE' : 'GRANT_ROLE',
    identity_action: deleted ? 'privilege_revoke' : 'privilege_grant',
    outcome: 'success',
    // GRANTED_BY is the role that made the grant, not a user.
    actor: text(r.GRANTED_BY),
    actor_type: text(r.GRANTED_BY) ? 'role' : null,
    target: principalName(grantee),
    target_type: text(r.GRANTED_TO) ?? 'USER',
    message: role ? `role ${role}` : null,
  };
}

function roleGrantEvent(record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  const r = grantsToRolesRowSchema.parse(record);
  const deleted = toIsoMillis(r.DELETED_ON);
  const privilege = text(r.PRIVILEGE);
  const objectName = [text(r.TABLE_CATALOG), text(r.TABLE_SCHEMA), text(r.NAME)].filter(Boolean).join('.');
  const grantedOn = text(r.GRANTED_ON);
  return {
    ...blankEvent(ctx, deleted ?? toIsoMillis(r.CREATED_ON)),
    class_uid: userAccess[0],
    class_name: userAccess[1],
    action: deleted ? 'REVOKE_PRIVILEGE' : 'GRANT_PRIVILEGE',
    identity_action: deleted ? 'privilege_revoke' : 'privilege_grant',
    outcome: 'success',
    actor: text(r.GRANTED_BY),
    actor_type: text(r.GRANTED_BY) ? 'role' : null,
    service: objectName || null,
    target: text(r.GRANTEE_NAME),
    target_type: text(r.GRANTED_TO) ?? 'ROLE',
    message: privilege ? [privilege, grantedOn && `on ${grantedOn}`, objectName].filter(Boolean).join(' ') : null,
  };
}

function dataTransferEvent(record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  const r = dataTransferHistoryRowSchema.parse(record);
  const targetCloud = text(r.TARGET_CLOUD);
  const targetRegion = text(r.TARGET_REGION);
  const sourceCloud = text(r.SOURCE_CLOUD);
  const bytes = scalarText(r.BYTES_TRANSFERRED);
  return {
    ...blankEvent(ctx, toIsoMillis(r.START_TIME) ?? toIsoMillis(r.END_TIME)),
    class_uid: network[0],
    class_name: network[1],
    action: text(r.TRANSFER_TYPE)?.toUpperCase() ?? 'DATA_TRANSFER',
    outcome: 'success',
    service: [sourceCloud, text(r.SOURCE_REGION)].filter(Boolean).join('/') || null,
    target: [targetCloud, targetRegion].filter(Boolean).join('/') || null,
    target_type: targetCloud || targetRegion ? 'region' : null,
    message: bytes === null ? null : `${bytes} bytes`,
  };
}

function yesNo(value: unknown): Outcome {
  if (value === true) return 'success';
  if (value === false) return 'failure';
  switch (text(value)?.toUpperCase()) {
    case 'YES':
    case 'TRUE':
      return 'success';
    case 'NO':
    case 'FALSE':
      return 'failure';
    default:
      return 'unknown';
  }
}

/** Ids and codes arrive as numbers or strings; they are stored as text. */
function scalarText(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return text(value);
}

/** "JDBC_DRIVER/3.13.30": the client Snowflake reports, as a user-agent-like label. */
function clientLabel(type: string | null, version: string | null): string | null {
  if (!type) return null;
  return version ? `${type}/${version}` : type;
}

function blankEvent(ctx: ParseContext, time: string | null): EventDraft {
  return {
    event_id: null,
    source: ctx.source,
    event_time: time ?? ctx.ingestTime,
    event_time_inferred: time === null,
    ingest_time: ctx.ingestTime,
    class_uid: null,
    class_name: null,
    action: 'unknown',
    identity_action: null,
    outcome: 'unknown',
    outcome_reason: null,
    severity: null,
    actor: null,
    actor_id: null,
    actor_name: null,
    actor_type: null,
    src_ip: null,
    src_country: null,
    src_region: null,
    src_city: null,
    src_lat: null,
    src_lon: null,
    src_asn: null,
    src_asn_org: null,
    user_agent: null,
    service: null,
    target: null,
    target_type: null,
    session_id: null,
    mfa_factor: null,
    message: null,
  };
}
