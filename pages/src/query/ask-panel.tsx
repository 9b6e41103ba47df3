/**
 * The Query page's Ask tab: a chat-style thread over `POST /api/query`. Each question is a turn of the current
 * conversation (its id comes back with the first answer, and follow-ups such as "now by country" send it); "New
 * conversation" starts over; the side list reopens one of the caller's earlier conversations
 * (`GET /api/query/conversations[/:id]`), whose turns come back without rows and can be run again.
 *
 * Invariants: one question is in flight at a time; an answer that arrives after the thread was replaced (new or
 * reopened conversation) is dropped rather than shown in the wrong conversation.
 */
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { ApiError, apiRequest, useApi } from '../api/api-client';
import type { QueryAnswer, QueryConversation, QueryConversationSummary, QueryRequest } from '../api/api-types';
import { ErrorBox } from '../ui/error-box';
import { formatRelative } from '../ui/format-time';
import { LoadingIndicator } from '../ui/loading-indicator';
import { AnswerCard, type AnswerActions } from './answer-card';
import type { ThreadEntry } from './thread-entry';

export const exampleQuestions: readonly string[] = [
  'How many failed logins in the last 7 days?',
  'Show me all failed logins from outside the US this week',
  'Top 10 users by failed logins in the last 7 days',
  'Logins per day over the last 14 days',
  'Show denied MFA pushes in the last 7 days',
];

type Loading = { phase: 'idle' } | { phase: 'loading'; id: string } | { phase: 'failed'; error: ApiError };

function asApiError(cause: unknown): ApiError {
  return cause instanceof ApiError ? cause : new ApiError(0, 'client_error', cause instanceof Error ? cause.message : String(cause), null);
}

/** What the engine said about a query it wrote. */
type Translation = Pick<QueryAnswer, 'explanation' | 'engine' | 'fallbackFrom' | 'assumptions'>;

/**
 * Confirming a priced answer, or running a stored turn again, sends that SQL unchanged, so the API reports it as
 * `engine: "sql"` with a generic explanation. The explanation, engine and assumptions of the translation still
 * describe exactly that SQL (its time bounds are literals in it), so they are kept — less the API's "send it again
 * with confirm" note — with the rows, cost and notes of the run added.
 */
export function withTranslation(described: Translation, ran: QueryAnswer): QueryAnswer {
  const confirmNote = (text: string) => text.startsWith('Estimated cost') && text.includes('confirm');
  const assumptions = described.assumptions.filter((text) => !confirmNote(text));
  for (const text of ran.assumptions) if (!assumptions.includes(text) && !confirmNote(text)) assumptions.push(text);
  if (described.explanation === '') return { ...ran, assumptions };
  return { ...ran, explanation: described.explanation, engine: described.engine, fallbackFrom: described.fallbackFrom, assumptions };
}

export function AskPanel() {
  const [entries, setEntries] = useState<ThreadEntry[]>([]);
  const [conversationId, setConversationId] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [reopening, setReopening] = useState<Loading>({ phase: 'idle' });
  const generation = useRef(0);
  const nextKey = useRef(1);
  const thread = useRef<HTMLDivElement>(null);
  const threadEnd = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const conversations = useApi<{ conversations: QueryConversationSummary[] }>('/api/query/conversations?limit=30');
  const busy = entries.some((entry) => entry.phase === 'asking') || reopening.phase === 'loading';
  const last = entries.at(-1);
  const lastKey = last?.key;
  const lastPhase = last?.phase;

  // A new question scrolls its loading line into view; its answer then scrolls to show the exchange from the top.
  useEffect(() => {
    if (lastKey === undefined) return;
    if (lastPhase === 'asking') threadEnd.current?.scrollIntoView({ block: 'end' });
    else if (lastPhase !== 'stored') thread.current?.querySelector(':scope > article:last-of-type')?.scrollIntoView({ block: 'start' });
  }, [lastKey, lastPhase]);

  async function send(request: Omit<QueryRequest, 'conversationId'>, via: ThreadEntry['via'], replaceKey?: number, described?: Translation) {
    const thisGeneration = generation.current;
    const key = replaceKey ?? nextKey.current++;
    const base = { key, question: request.question, via };
    setEntries((previous) =>
      replaceKey === undefined ? [...previous, { ...base, phase: 'asking' }] : previous.map((e) => (e.key === key ? { ...base, phase: 'asking' } : e)),
    );
    const settle = (entry: ThreadEntry) => {
      if (thisGeneration === generation.current) setEntries((previous) => previous.map((e) => (e.key === key ? entry : e)));
    };
    const body: QueryRequest = conversationId ? { ...request, conversationId } : request;
    try {
      const answer = await apiRequest<QueryAnswer>('/api/query', { method: 'POST', body });
      if (thisGeneration !== generation.current) return;
      setConversationId(answer.conversationId);
      settle({ ...base, phase: 'answered', answer: described ? withTranslation(described, answer) : answer });
    } catch (cause) {
      if (thisGeneration !== generation.current) return;
      const error = asApiError(cause);
      const details = error.details ?? {};
      if (typeof details.conversationId === 'string') setConversationId(details.conversationId);
      // The conversation is gone (or was never this user's): the next question starts a new one.
      else if (error.code === 'not_found') setConversationId(null);
      const engine = typeof details.engine === 'string' ? details.engine : null;
      if (error.code === 'invalid_input' && Array.isArray(details.suggestions)) {
        const suggestions = details.suggestions.filter((s): s is string => typeof s === 'string');
        settle({ ...base, phase: 'not-understood', message: error.message, suggestions, engine });
      } else {
        settle({ ...base, phase: 'error', error, sql: typeof details.sql === 'string' ? details.sql : null });
      }
    } finally {
      if (thisGeneration === generation.current) conversations.reload();
    }
  }

  const actions: AnswerActions = {
    busy,
    ask: (question) => void send({ question }, 'question'),
    runSql: (question, sql) => void send({ question, sql }, 'edited-sql'),
    // What was priced is what runs: the confirmed request carries the answer's SQL, not the question again.
    confirm: (entryKey, question, priced) => void send({ question, sql: priced.sql, confirm: true }, 'confirmed', entryKey, priced),
    rerun: (question, turn) => {
      if (turn.sql !== null) void send({ question, sql: turn.sql }, 'rerun', undefined, { ...turn, explanation: turn.explanation ?? '', fallbackFrom: null });
    },
  };

  function submit(event?: FormEvent) {
    event?.preventDefault();
    const question = draft.trim();
    if (question === '' || busy) return;
    setDraft('');
    actions.ask(question);
  }

  function handleKeys(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter asks; Shift+Enter is a new line; Enter that ends an IME composition is not a submit.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  function startNew() {
    generation.current++;
    setEntries([]);
    setConversationId(null);
    setReopening({ phase: 'idle' });
    setDraft('');
    input.current?.focus();
  }

  async function reopen(id: string) {
    const thisGeneration = ++generation.current;
    setEntries([]);
    setConversationId(id);
    setReopening({ phase: 'loading', id });
    try {
      const { conversation } = await apiRequest<{ conversation: QueryConversation }>(`/api/query/conversations/${encodeURIComponent(id)}`);
      if (thisGeneration !== generation.current) return;
      setEntries(conversation.turns.map((turn) => ({ key: nextKey.current++, question: turn.question, via: 'question', phase: 'stored', turn })));
      setReopening({ phase: 'idle' });
    } catch (cause) {
      if (thisGeneration !== generation.current) return;
      setConversationId(null);
      setReopening({ phase: 'failed', error: asApiError(cause) });
    }
  }

  const list = conversations.data?.conversations ?? [];
  return (
    <div className="ask-layout">
      <div className="ask-main">
        <div className="ask-thread" data-testid="ask-thread" aria-live="polite" ref={thread}>
          {entries.length === 0 && reopening.phase === 'idle' && (
            <div className="panel ask-intro">
              <div className="ask-intro-title">Ask about your logs in plain English</div>
              <div className="muted small">
                Each answer shows the SQL it ran, what it assumed and what it cost. Follow up to refine it (“now by country”, “only
                admins”, “what about last month?”).
              </div>
              <div className="example-chips" aria-label="Example questions">
                {exampleQuestions.map((question) => (
                  <button key={question} type="button" className="chip" data-testid="example-question" disabled={busy} onClick={() => actions.ask(question)}>
                    {question}
                  </button>
                ))}
              </div>
            </div>
          )}
          {reopening.phase === 'loading' && <LoadingIndicator label="Opening the conversation…" />}
          {reopening.phase === 'failed' && <ErrorBox error={reopening.error} title="The conversation could not be opened" />}
          {entries.map((entry) => (
            <AnswerCard key={entry.key} entry={entry} actions={actions} />
          ))}
          <div ref={threadEnd} className="ask-thread-end" />
        </div>
        <form className="panel ask-composer" onSubmit={submit} aria-label="Ask a question">
          <label htmlFor="ask-input" className="visually-hidden">
            Your question
          </label>
          <textarea
            id="ask-input"
            ref={input}
            data-testid="ask-input"
            className="ask-input"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={handleKeys}
            placeholder={conversationId ? 'Ask a follow-up, e.g. “now by country”' : 'e.g. How many failed logins in the last 7 days?'}
            rows={2}
            maxLength={2000}
            aria-describedby="ask-hint"
          />
          <div className="ask-composer-bar">
            <span id="ask-hint" className="muted small">
              <kbd>Enter</kbd> asks · <kbd>Shift</kbd> + <kbd>Enter</kbd> new line
              {conversationId ? ' · follow-ups continue this conversation' : ''}
            </span>
            <button type="submit" className="button button-primary" data-testid="ask-submit" disabled={busy || draft.trim() === ''}>
              {busy ? 'Asking…' : 'Ask'}
            </button>
          </div>
        </form>
      </div>
      <aside className="panel conversation-list" aria-label="Your conversations">
        <div className="panel-title">
          Conversations
          <span className="panel-title-spacer" />
          <button type="button" className="button button-small" data-testid="new-conversation" onClick={startNew}>
            New conversation
          </button>
        </div>
        {conversations.error && <ErrorBox error={conversations.error} />}
        {conversations.loading && !conversations.data && <LoadingIndicator inline />}
        {conversations.data && list.length === 0 && <div className="muted small conversation-empty">No conversations yet.</div>}
        <ul>
          {list.map((conversation) => (
            <li key={conversation.id}>
              <button
                type="button"
                data-testid="conversation-item"
                className={conversation.id === conversationId ? 'conversation-item active' : 'conversation-item'}
                aria-current={conversation.id === conversationId ? 'true' : undefined}
                disabled={busy && conversation.id !== conversationId}
                onClick={() => void reopen(conversation.id)}
                title={conversation.title}
              >
                <span className="conversation-title">{conversation.title}</span>
                <span className="conversation-meta">
                  {conversation.turns} {conversation.turns === 1 ? 'question' : 'questions'} · {formatRelative(conversation.updatedAt)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </aside>
    </div>
  );
}
