/**
 * Query: ask in plain English (the Ask tab, `POST /api/query`) or write SQL yourself (the SQL tab, `POST /api/sql`).
 * Both tabs stay mounted, so switching keeps the thread and the editor as they were. `?tab=sql` opens the SQL tab.
 */
import { useState } from 'react';
import { useCan } from '../auth/session-context';
import { PageHeader } from '../ui/page-header';
import { AskPanel } from './ask-panel';
import { SqlExplorer } from './sql-explorer';

const tabs = [
  { id: 'ask', label: 'Ask' },
  { id: 'sql', label: 'SQL' },
] as const;
type QueryTab = (typeof tabs)[number]['id'];

function initialTab(): QueryTab {
  return new URLSearchParams(window.location.search).get('tab') === 'sql' ? 'sql' : 'ask';
}

export function QueryPage() {
  const [tab, setTab] = useState<QueryTab>(initialTab);
  const canQuery = useCan('events:query');

  function choose(next: QueryTab) {
    setTab(next);
    const url = new URL(window.location.href);
    if (next === 'sql') url.searchParams.set('tab', 'sql');
    else url.searchParams.delete('tab');
    window.history.replaceState(window.history.state, '', url.pathname + url.search);
  }

  return (
    <>
      <PageHeader
        title="Query"
        subtitle="Ask a question in plain English, or write the SQL yourself."
        actions={
          <div className="segmented query-tabs" role="tablist" aria-label="Query mode">
            {tabs.map((entry) => (
              <button
                key={entry.id}
                type="button"
                role="tab"
                id={`query-tab-${entry.id}`}
                aria-selected={tab === entry.id}
                aria-controls={`query-panel-${entry.id}`}
                data-testid={`query-tab-${entry.id}`}
                className={tab === entry.id ? 'segment active' : 'segment'}
                onClick={() => choose(entry.id)}
              >
                {entry.label}
              </button>
            ))}
          </div>
        }
      />
      {!canQuery && <div className="notice">Your role cannot run queries; the API will refuse them.</div>}
      <div role="tabpanel" id="query-panel-ask" aria-labelledby="query-tab-ask" hidden={tab !== 'ask'}>
        <AskPanel />
      </div>
      <div role="tabpanel" id="query-panel-sql" aria-labelledby="query-tab-sql" hidden={tab !== 'sql'}>
        <SqlExplorer />
      </div>
    </>
  );
}
