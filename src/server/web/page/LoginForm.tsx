import { useState, type FormEvent } from 'react';
import type { UserFieldsFragment } from '../../../../client/src/index.js';
import { pageConfig } from './page-config.js';
import { api, saveToken } from './session.js';
import { useAction } from './use-action.js';

const { developmentAdmin } = pageConfig();

export function LoginForm({ onSignedIn }: { onSignedIn: (user: UserFieldsFragment) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, act } = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    void act(async () => {
      const session = await api.login(email, password);
      saveToken(session.token);
      onSignedIn(session.user);
    });
  }

  return (
    <form className="card narrow" onSubmit={submit} aria-label="Sign in">
      <h2>Sign in</h2>
      {developmentAdmin && (
        <p className="hint" data-testid="development-admin">
          Development admin: <code>{developmentAdmin.email}</code>, with the password in <code>{developmentAdmin.passwordFile}</code> on the machine running the
          service (its <code>DATA_DIR</code>). Set <code>ADMIN_EMAIL</code> and <code>ADMIN_PASSWORD</code> to choose your own.
        </p>
      )}
      <label>
        Email
        <input type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
      </label>
      <label>
        Password
        <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </label>
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit" disabled={busy}>
        Sign in
      </button>
    </form>
  );
}
