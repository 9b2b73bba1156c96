import { useEffect, useState } from 'react';
import type { UserFieldsFragment } from '../../../../client/src/index.js';
import { LoginForm } from './LoginForm.js';
import { PlatformAdminView } from './PlatformAdminView.js';
import { RunView } from './RunView.js';
import { clearSelectedTenant } from './selection.js';
import { api, saveToken, savedToken } from './session.js';
import { TopBar } from './TopBar.js';

export function App() {
  const [user, setUser] = useState<UserFieldsFragment | null>(null);
  const [checking, setChecking] = useState(Boolean(savedToken()));

  // A saved token is tried once; an expired one sends the user back to the sign-in form.
  useEffect(() => {
    if (!savedToken()) return;
    api
      .me()
      .then(setUser)
      .catch(() => saveToken(undefined))
      .finally(() => setChecking(false));
  }, []);

  function signOut() {
    saveToken(undefined);
    clearSelectedTenant();
    setUser(null);
  }

  return (
    <>
      <TopBar user={user} onSignOut={signOut} />
      <main>{checking ? null : <ViewFor user={user} onSignedIn={setUser} />}</main>
    </>
  );
}

/** What each visitor sees: the sign-in form, a platform admin every workspace, a workspace admin only its own run. */
function ViewFor({ user, onSignedIn }: { user: UserFieldsFragment | null; onSignedIn: (user: UserFieldsFragment) => void }) {
  if (!user) return <LoginForm onSignedIn={onSignedIn} />;
  if (user.role === 'PLATFORM_ADMIN') return <PlatformAdminView />;
  return <div className="layout single">{user.tenantId && <RunView tenantId={user.tenantId} />}</div>;
}
