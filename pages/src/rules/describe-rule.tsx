/**
 * "Describe it in English" on the Sigma side of "New rule": the request goes to `POST /api/rules/from-question`,
 * which writes the Sigma YAML, compiles it and runs it over the last 24 h without saving; the YAML fills the
 * editor and the test result shows what the rule would have raised. Saving stays the form's "Create rule".
 */
import { useState, type KeyboardEvent } from 'react';
import { ApiError, apiRequest } from '../api/api-client';
import type { RuleFromQuestionResponse } from '../api/api-types';
import { ErrorBox } from '../ui/error-box';
import { LoadingIndicator } from '../ui/loading-indicator';
import { formatUtc } from '../ui/format-time';
import { TestDocument } from './rule-test-panel';

const testHours = 24;

export function DescribeRule({ onGenerated }: { onGenerated: (yaml: string) => void }) {
  const [question, setQuestion] = useState('');
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<RuleFromQuestionResponse | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);

  async function generate(request = question) {
    if (request.trim() === '') return;
    setRunning(true);
    setFailure(null);
    try {
      const response = await apiRequest<RuleFromQuestionResponse>('/api/rules/from-question', { method: 'POST', body: { question: request, hours: testHours } });
      setResult(response);
      onGenerated(response.yaml);
    } catch (cause) {
      if (!(cause instanceof ApiError)) throw cause;
      setResult(null);
      setFailure(cause);
    } finally {
      setRunning(false);
    }
  }

  // Enter writes the rule; it must not submit the surrounding form (which saves).
  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    void generate();
  }

  const suggestions = failure?.details?.suggestions;
  return (
    <div className="rule-panel describe-rule" data-testid="describe-rule">
      <div className="field">
        <span className="field-label">
          Describe it in English <span className="muted">— e.g. “Alert when a user fails login 5+ times in 10 minutes”</span>
        </span>
        <div className="form-row">
          <input
            style={{ flex: 1 }}
            aria-label="Describe the alert in English"
            value={question}
            onChange={(event) => setQuestion(event.target.value)}
            onKeyDown={onKeyDown}
            placeholder="Alert when …"
            maxLength={500}
            data-testid="describe-rule-input"
          />
          <button type="button" className="button" disabled={running || question.trim() === ''} onClick={() => void generate()} data-testid="describe-rule-generate">
            {running ? 'Writing…' : 'Write the rule'}
          </button>
        </div>
      </div>
      {running && <LoadingIndicator label={`Writing the rule and testing it over the last ${testHours} h…`} />}
      {failure && <ErrorBox error={failure} title="No rule was written" />}
      {failure && Array.isArray(suggestions) && suggestions.length > 0 && (
        <div className="muted small" data-testid="describe-rule-suggestions">
          Try:{' '}
          {suggestions.map((s, i) => (
            <button
              key={i}
              type="button"
              className="link-button"
              onClick={() => {
                setQuestion(String(s));
                void generate(String(s));
              }}
            >
              {String(s)}
            </button>
          ))}
        </div>
      )}
      {result && !running && (
        <div className="rule-test-result" data-testid="describe-rule-result">
          <div className="small">
            {result.explanation} The YAML below was written from it; review it, then create the rule.
          </div>
          {result.assumptions.length > 0 && <div className="muted small">Assumed: {result.assumptions.join('; ')}.</div>}
          <div className="muted small">
            Tested over {formatUtc(result.test.window.start)} → {formatUtc(result.test.window.end)} UTC · {result.test.durationMs} ms
          </div>
          {result.test.documents.map((tested, index) => (
            <TestDocument key={index} tested={tested} single={result.test.documents.length === 1} />
          ))}
          <details>
            <summary className="small">Compiled SQL (D1)</summary>
            <pre className="mono small" data-testid="describe-rule-sql">
              {result.sql}
            </pre>
          </details>
        </div>
      )}
    </div>
  );
}
