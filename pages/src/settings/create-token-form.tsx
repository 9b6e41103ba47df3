/**
 * Create an API token (`POST /api/tokens`). The answer carries the secret, shown here once with a copy
 * button; the API never returns it again.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, apiRequest } from '../api/api-client';
import { roles, type CreatedApiToken, type NewApiToken, type Role } from '../api/api-types';
import { CopyButton } from '../ui/copy-button';
import { ErrorBox } from '../ui/error-box';

export function CreateTokenForm({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [source, setSource] = useState('*');
  const [expiresInDays, setExpiresInDays] = useState('90');
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const days = expiresInDays.trim() === '' ? undefined : Number(expiresInDays);
    if (name.trim() === '') return setProblem('A token needs a name (who or what uses it).');
    if (role === 'ingest' && source.trim() === '') return setProblem('An ingest token needs a source id, or * for every source.');
    if (days !== undefined && (!Number.isInteger(days) || days < 1)) return setProblem('Expiry is a whole number of days, at least 1 (or empty for none).');
    setProblem(null);

    const request: NewApiToken = { name: name.trim(), role };
    if (role === 'ingest') request.source = source.trim();
    if (days !== undefined) request.expiresInDays = days;
    setSaving(true);
    try {
      setCreated(await apiRequest<CreatedApiToken>('/api/tokens', { method: 'POST', body: request }));
      setName('');
      onCreated();
    } catch (cause) {
      if (cause instanceof ApiError) setFailure(cause);
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="token-form" onSubmit={submit} noValidate data-testid="create-token-form">
      <div className="form-grid token-form-grid">
        <label className="field">
          <span className="field-label">Name</span>
          <input value={name} onChange={(event) => setName(event.target.value)} placeholder="okta-log-shipper" />
        </label>
        <label className="field">
          <span className="field-label">Role</span>
          <select value={role} onChange={(event) => setRole(event.target.value as Role)}>
            {roles.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </label>
        {role === 'ingest' && (
          <label className="field">
            <span className="field-label">Source</span>
            <input className="mono" value={source} onChange={(event) => setSource(event.target.value)} placeholder="okta or *" />
          </label>
        )}
        <label className="field">
          <span className="field-label">Expires in (days)</span>
          <input type="number" min={1} step={1} value={expiresInDays} onChange={(event) => setExpiresInDays(event.target.value)} placeholder="never" />
        </label>
        <div className="field field-submit">
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Creating…' : 'Create token'}
          </button>
        </div>
      </div>
      {problem && <div className="field-error">{problem}</div>}
      {failure && <ErrorBox error={failure} title="The token was not created" />}
      {created && (
        <div className="secret-box" data-testid="new-token-secret">
          <div>
            <strong>Token “{created.name}” created ({created.role}).</strong> Copy it now: it is shown only this once.
          </div>
          <div className="code-with-copy">
            <pre className="code-block mono selectable">{created.token}</pre>
            <CopyButton text={created.token} />
            <button type="button" className="button button-small" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        </div>
      )}
    </form>
  );
}
