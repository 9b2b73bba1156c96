import type { UserFieldsFragment } from '../../../../client/src/index.js';

export function TopBar({ user, onSignOut }: { user: UserFieldsFragment | null; onSignOut: () => void }) {
  return (
    <header className="topbar">
      <h1>Tenant provisioning</h1>
      <nav>
        <a href="/graphiql">GraphiQL</a>
        {user && (
          <>
            <span className="muted" data-testid="signed-in-as">
              {user.email} ({user.role === 'PLATFORM_ADMIN' ? 'platform admin' : 'workspace admin'})
            </span>
            <button className="link" onClick={onSignOut}>
              Sign out
            </button>
          </>
        )}
      </nav>
    </header>
  );
}
