/** What an expanded playbook run shows: its id, the reason it was requested, and its result so far. */
import type { PlaybookRun } from '../api/api-types';

export function RunDetails({ run }: { run: PlaybookRun }) {
  return (
    <dl className="details-list">
      <dt>Run id</dt>
      <dd className="mono">{run.id}</dd>
      <dt>Reason</dt>
      <dd>{run.params.reason ?? <span className="dim">—</span>}</dd>
      <dt>Result</dt>
      <dd>
        {run.result === null || run.result === undefined ? (
          <span className="dim">no result yet</span>
        ) : (
          <pre className="json-block mono">{JSON.stringify(run.result, null, 2)}</pre>
        )}
      </dd>
    </dl>
  );
}
