'use client';
import { type FormEvent, useState } from 'react';
import { checkToken } from '../lib/api.ts';

export function SignIn({ notice, onSignedIn }: { notice: string | null; onSignedIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const value = token.trim();
    if (!value) return setError('paste the API token printed by the first start (ta_…)');
    setBusy(true);
    const problem = await checkToken(value);
    setBusy(false);
    if (problem) return setError(`Sign-in failed: ${problem}`);
    onSignedIn(value);
  }

  return (
    <main className="page signin">
      <h1>threads-agent</h1>
      <p>Sign in with an API token. It is kept in this tab only and forgotten when the tab closes.</p>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <label htmlFor="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'token-error' : undefined}
        />
        {error && (
          <p id="token-error" className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
