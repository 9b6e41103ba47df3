/**
 * Salesforce sObject records as the REST API returns them for a SOQL query (`/services/data/vXX.X/query`):
 * JSON objects carrying `attributes: {type, url}`, field names in PascalCase.
 * - LoginHistory: https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_loginhistory.htm
 * - SetupAuditTrail: https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_setupaudittrail.htm
 * - Real-Time Event Monitoring objects (LoginEvent, LogoutEvent, LoginAsEvent and the rest, which share
 *   EventIdentifier / EventDate / Username / SourceIp):
 *   https://developer.salesforce.com/docs/atlas.en-us.platform_events.meta/platform_events/sforce_api_objects_loginevent.htm
 *
 * Invariants: every field is optional and lenient. The record type comes from `attributes.type`; a record
 * exported without `attributes` is recognised by the fields only its type has (see `sobjectType`).
 */
import { z } from 'zod';
import { isPlainObject } from '../../core/ingest/split-records';
import { lenient } from '../shared/lenient';

const str = lenient(z.string().nullable());
const num = lenient(z.union([z.number(), z.string()]).nullable());

const userReference = lenient(z.looseObject({ Username: str, Name: str, Email: str }).nullable());

export const loginRecordSchema = z.looseObject({
  Id: str,
  /** LoginHistory */
  LoginTime: str,
  /** LoginEvent and the other real-time events */
  EventIdentifier: str,
  EventDate: str,
  CreatedDate: str,
  UserId: str,
  Username: str,
  /** LoginAsEvent: the administrator logging in as Username. */
  DelegatedUsername: str,
  LoginType: str,
  Status: str,
  Platform: str,
  Browser: str,
  Application: str,
  SourceIp: str,
  CountryIso: str,
  Country: str,
  City: str,
  Subdivision: str,
  Latitude: num,
  Longitude: num,
  SessionKey: str,
  LoginKey: str,
  AuthMethodReference: str,
  LoginUrl: str,
  UserType: str,
});
export type LoginRecord = z.infer<typeof loginRecordSchema>;

export const setupAuditTrailRecordSchema = z.looseObject({
  Id: str,
  CreatedDate: str,
  CreatedById: str,
  CreatedBy: userReference,
  /** The Login-As user who made the change on CreatedBy's behalf; blank otherwise. */
  DelegateUser: str,
  Action: str,
  Section: str,
  Display: str,
  ResponsibleNamespacePrefix: str,
});
export type SetupAuditTrailRecord = z.infer<typeof setupAuditTrailRecordSchema>;

/** The sObject type of a record: `attributes.type`, or inferred from the fields its type alone has. */
export function sobjectType(record: Record<string, unknown>): string | null {
  const attributes = record.attributes;
  if (isPlainObject(attributes) && typeof attributes.type === 'string' && attributes.type !== '') return attributes.type;
  if ('LoginTime' in record) return 'LoginHistory';
  if ('Action' in record && ('Section' in record || 'Display' in record)) return 'SetupAuditTrail';
  if ('EventIdentifier' in record || ('EventDate' in record && 'Username' in record)) return 'RealTimeEvent';
  // An sObject whose attributes lost their type: read like the real-time events, by their shared fields.
  return isPlainObject(attributes) ? 'sObject' : null;
}
