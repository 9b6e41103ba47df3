/** Amazon GuardDuty source: findings, bare, from EventBridge (unwrapped upstream) or GetFindings pages. */
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { expandGuardDutyFindings } from './finding-schema';
import { normalizeGuardDutyFinding } from './normalize-guardduty-finding';

export const guardDutySource: SourceAdapter = {
  id: 'guardduty',
  name: 'Amazon GuardDuty',
  parse: normalizeGuardDutyFinding,
  expand: expandGuardDutyFindings,
};
