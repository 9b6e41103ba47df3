/**
 * APM: intentionally an empty state. Application performance views need OpenTelemetry traces, and OTLP
 * ingest is not in this release; showing charts without data would mislead.
 */
import { EmptyState } from '../ui/empty-state';
import { PageHeader } from '../ui/page-header';

export function ApmPage() {
  return (
    <>
      <PageHeader title="APM" subtitle="Application performance monitoring" />
      <EmptyState title="No traces yet">
        APM needs OpenTelemetry traces. OTLP ingest (<span className="mono">/v1/traces</span>) is not part of this release yet.
      </EmptyState>
    </>
  );
}
