/**
 * "Send data": how to push events to `POST /ingest/:source`, as a curl command for this deployment.
 * The token stays a shell variable: the UI never prints a secret into copyable text.
 */
import { CopyButton } from '../ui/copy-button';

export function SendDataPanel() {
  const origin = window.location.origin;
  const curl = `curl -X POST "${origin}/ingest/okta" -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/x-ndjson" --data-binary @okta.ndjson`;

  return (
    <section className="panel send-data" data-testid="send-data">
      <div className="panel-title">Send data</div>
      <div className="panel-body">
        <p>
          Post NDJSON (one event per line), a JSON array, or CloudTrail’s <span className="mono">{'{"Records":[…]}'}</span> files to{' '}
          <span className="mono">/ingest/&lt;source&gt;</span> with a token whose role is <span className="mono">ingest</span> (for that
          source or <span className="mono">*</span>) or <span className="mono">admin</span>. Gzip bodies are accepted; a retried batch is
          never stored twice.
        </p>
        <div className="code-with-copy">
          <pre className="code-block mono" data-testid="curl-example">{curl}</pre>
          <CopyButton text={curl} />
        </div>
        <p className="muted small">
          Set <span className="mono">TOKEN</span> first (<span className="mono">export TOKEN=mlt_…</span>); admins create ingest tokens in
          Settings → API tokens. Replace <span className="mono">okta</span> with the source id you send.
        </p>
      </div>
    </section>
  );
}
