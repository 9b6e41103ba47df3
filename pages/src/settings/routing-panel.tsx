/**
 * Settings → Routing: the routing document (destinations, routes, escalation, quiet hours, redaction,
 * enrichment) as YAML, its version and author, the secrets it names that the Worker lacks, and for admins an
 * editor whose Save is the validation: `PUT /api/routing` refuses an invalid document with one problem per path.
 * Everyone else with routing:read sees it read-only.
 */
import { dump } from 'js-yaml';
import { useState } from 'react';
import { ApiError, useApi } from '../api/api-client';
import type { RoutingSaved, RoutingState } from '../api/api-types';
import { missingPermissionHint } from '../auth/permissions';
import { useSession } from '../auth/session-context';
import { CopyButton } from '../ui/copy-button';
import { ErrorBox } from '../ui/error-box';
import { LoadingIndicator } from '../ui/loading-indicator';
import { Timestamp } from '../ui/timestamp';
import { minimalRoutingExample, routingExample } from './routing-example';
import { putRoutingYaml, routingProblems } from './routing-request';

export function RoutingPanel() {
  const { me } = useSession();
  const readHint = missingPermissionHint(me.role, 'routing:read');
  return (
    <section className="panel" data-testid="routing-panel">
      <div className="panel-title">Routing document</div>
      {readHint ? <div className="panel-body muted">{readHint}: ask an admin, analyst or responder.</div> : <RoutingDocumentView />}
    </section>
  );
}

function RoutingDocumentView() {
  const { me } = useSession();
  const manageHint = missingPermissionHint(me.role, 'routing:manage');
  const { data, error, loading, reload } = useApi<RoutingState>('/api/routing');
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<RoutingSaved | null>(null);
  const yaml = data ? documentYaml(data.document) : '';

  function startEditing(text: string) {
    setFailure(null);
    setSaved(null);
    setDraft(text);
  }

  async function save(text: string) {
    setSaving(true);
    setFailure(null);
    setSaved(null);
    try {
      setSaved(await putRoutingYaml(text));
      setDraft(null);
      reload();
    } catch (cause) {
      if (cause instanceof ApiError) setFailure(cause);
    } finally {
      setSaving(false);
    }
  }

  if (!data) {
    return <div className="panel-body">{error ? <ErrorBox error={error} /> : loading && <LoadingIndicator label="Loading the routing document…" />}</div>;
  }

  return (
    <div className="panel-body routing-body">
      <div className="routing-meta" data-testid="routing-meta">
        {data.version === 0 ? (
          <span>
            <strong>No routing document saved yet</strong>: alerts are recorded but nobody is notified. Shown below: the defaults.
          </span>
        ) : (
          <span>
            <span className="badge badge-soft tone-info" data-testid="routing-version">
              version {data.version}
            </span>{' '}
            updated by <strong>{data.updatedBy ?? 'unknown'}</strong> at <Timestamp iso={data.updatedAt} />
          </span>
        )}
        <span className="panel-title-spacer" />
        {loading && <LoadingIndicator inline label="Refreshing…" />}
        {draft === null && (
          <>
            <CopyButton text={yaml} label="Copy YAML" />
            <button type="button" className="button button-small" disabled={manageHint !== undefined} title={manageHint} onClick={() => startEditing(yaml)} data-testid="routing-edit">
              Edit
            </button>
          </>
        )}
      </div>
      {error && <ErrorBox error={error} title="Could not refresh the routing document" />}
      {saved && (
        <div className="notice notice-success" role="status" data-testid="routing-saved">
          Saved: routing document version {saved.version}.
          {saved.warnings.length > 0 && ' It is in force, but see the warnings below.'}
        </div>
      )}
      {data.warnings.length > 0 && (
        <div className="notice" data-testid="routing-warnings">
          <strong>Warnings</strong>
          <ul className="line-list">
            {data.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </div>
      )}
      {data.problems.length > 0 && (
        <div className="notice notice-danger" data-testid="routing-stored-problems">
          <strong>The stored document no longer validates</strong>
          <ProblemList problems={data.problems} />
        </div>
      )}
      {draft === null ? (
        <pre className="sql-block yaml-block routing-yaml mono" data-testid="routing-yaml">
          {yaml}
        </pre>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void save(draft);
          }}
        >
          <textarea
            className="sql-editor yaml-editor routing-editor mono"
            rows={Math.min(30, Math.max(14, draft.split('\n').length + 1))}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            spellCheck={false}
            aria-label="Routing document (YAML)"
            data-testid="routing-editor"
          />
          {failure && (
            <div data-testid="routing-refusal">
              <ErrorBox error={failure} title="The routing document was refused (nothing was saved)" />
              {routingProblems(failure).length > 0 && <ProblemList problems={routingProblems(failure)} />}
            </div>
          )}
          <div className="form-actions edit-actions">
            <button type="submit" className="button button-primary button-small" disabled={saving} data-testid="routing-save">
              {saving ? 'Validating…' : 'Validate and save'}
            </button>
            <button type="button" className="button button-small" onClick={() => setDraft(null)}>
              Cancel
            </button>
            <span className="muted small">Saving validates the whole document first; an invalid one is refused with each problem.</span>
          </div>
        </form>
      )}
      <RoutingHelp onUse={manageHint === undefined ? startEditing : undefined} />
    </div>
  );
}

function ProblemList({ problems }: { problems: readonly string[] }) {
  return (
    <ul className="line-list problem-list" data-testid="routing-problems">
      {problems.map((problem, index) => {
        const split = problem.indexOf(': ');
        return (
          <li key={index}>
            {split > 0 ? (
              <>
                <span className="mono strong">{problem.slice(0, split)}</span>: {problem.slice(split + 2)}
              </>
            ) : (
              problem
            )}
          </li>
        );
      })}
    </ul>
  );
}

function RoutingHelp({ onUse }: { onUse: ((text: string) => void) | undefined }) {
  return (
    <details className="help-details" data-testid="routing-help">
      <summary>Example documents and how routing works</summary>
      <div className="help-body">
        <p>
          Routes are tried in order; the first that matches decides unless it says <code>continue: true</code>. With no match the{' '}
          <code>defaultRoute</code> is used, if any; otherwise the alert is recorded but nobody is notified. Credentials are never in the
          document: settings ending in <code>Secret</code> and <code>secretName</code> name a Worker secret (<code>wrangler secret put NAME</code>).
          The same document is validated by <code>npx mantissa routing validate</code> and can be kept under version control.
        </p>
        <HelpExample title="Smallest useful document: one signed webhook" text={minimalRoutingExample} onUse={onUse} />
        <HelpExample title="A fuller example (config/routing.example.yml)" text={routingExample} onUse={onUse} />
      </div>
    </details>
  );
}

function HelpExample({ title, text, onUse }: { title: string; text: string; onUse: ((text: string) => void) | undefined }) {
  return (
    <div className="help-example">
      <div className="block-heading">
        <span className="field-label">{title}</span>
        <span className="panel-title-spacer" />
        <CopyButton text={text} />
        {onUse && (
          <button type="button" className="button button-small" onClick={() => onUse(text)}>
            Edit from this
          </button>
        )}
      </div>
      <pre className="sql-block yaml-block mono">{text}</pre>
    </div>
  );
}

function documentYaml(document: Record<string, unknown>): string {
  return dump(document, { lineWidth: 120, noRefs: true });
}
