import { useEffect, useState } from 'react';
import type { UserFieldsFragment } from '../../../../client/src/index.js';
import { ActivityList, type TenantRow } from './ActivityList.js';
import { CreateWorkspaceForm, type CreatedTenant } from './CreateWorkspaceForm.js';
import { LoginForm } from './LoginForm.js';
import { RunView } from './RunView.js';
import { api, saveToken, savedToken } from './session.js';

type Selected = Pick<TenantRow, 'id' | 'name'>;

export function App() {
  const [user, setUser] = useState<UserFieldsFragment | null>(null);
  const [checking, setChecking] = useState(Boolean(savedToken()));
  const [selected, setSelected] = useState<Selected>();
  const [created, setCreated] = useState<CreatedTenant[]>([]);

  // A saved token is tried once; an expired one sends the user back to the sign-in form.
  useEffect(() => {
    if (!savedToken()) return;
    api
      .me()
      .then(setUser)
      .catch(() => saveToken(undefined))
      .finally(() => setChecking(false));
  }, []);

  // A tenant admin has exactly one workspace: show it.
  useEffect(() => {
    if (user?.role !== 'TENANT_ADMIN' || !user.tenantId) return;
    void api.tenant(user.tenantId).then((tenant) => tenant && setSelected({ id: tenant.id, name: tenant.name }));
  }, [user]);

  function signOut() {
    saveToken(undefined);
    setUser(null);
    setSelected(undefined);
    setCreated([]);
  }

  function onCreated(tenant: CreatedTenant) {
    setCreated((list) => [tenant, ...list]);
    setSelected({ id: tenant.id, name: tenant.name });
  }

  return (
    <>
      <header className="topbar">
        <h1>Tenant provisioning</h1>
        <nav>
          <a href="/graphiql">GraphiQL</a>
          {user && (
            <>
              <span className="muted" data-testid="signed-in-as">
                {user.email} ({user.role === 'PLATFORM_ADMIN' ? 'platform admin' : 'workspace admin'})
              </span>
              <button className="link" onClick={signOut}>
                Sign out
              </button>
            </>
          )}
        </nav>
      </header>
      <main>
        {checking ? null : !user ? (
          <LoginForm onSignedIn={setUser} />
        ) : (
          <div className="layout">
            {user.role === 'PLATFORM_ADMIN' && (
              <aside>
                <CreateWorkspaceForm onCreated={onCreated} />
                <ActivityList added={created} selectedId={selected?.id} onSelect={(row) => setSelected({ id: row.id, name: row.name })} />
              </aside>
            )}
            <div className="main-column">
              {selected ? <RunView key={selected.id} tenantId={selected.id} tenantName={selected.name} /> : <p className="card muted">Create a workspace, or pick one from the activity list.</p>}
            </div>
          </div>
        )}
      </main>
    </>
  );
}
