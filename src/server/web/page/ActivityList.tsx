import type { FleetTenant } from './fleet.js';
import type { FleetState } from './use-fleet.js';
import { StatusBadge } from './StatusBadge.js';

/** Rows listed: the newest workspaces; the run explorer finds any other. */
const SHOWN = 50;

/**
 * The newest workspaces of the platform and where their provisioning stands, newest first, with
 * the last event each sent (a platform admin's view; the fleet keeps them live).
 */
export function ActivityList({ fleet, selectedId, onSelect }: { fleet: FleetState; selectedId: string | undefined; onSelect: (tenantId: string) => void }) {
  const rows = [...fleet.tenants.values()].sort(newestFirst).slice(0, SHOWN);
  return (
    <section className="card" aria-label="Activity">
      <h2>Activity</h2>
      {fleet.error && <p className="error" role="alert">{fleet.error}</p>}
      {fleet.loaded && rows.length === 0 && <p className="muted">No workspaces yet.</p>}
      <ul className="activity">
        {rows.map((row) => (
          <li key={row.id} className={row.id === selectedId ? 'selected' : ''} aria-current={row.id === selectedId ? 'true' : undefined} data-testid="activity-row">
            <button className="link" onClick={() => onSelect(row.id)}>
              {row.name}
            </button>
            <StatusBadge status={row.run?.status ?? 'NOT_STARTED'} />
            <span className="muted">{Math.round(row.run?.progress ?? 0)}%</span>
            {row.lastEvent && <div className="muted small-text">{row.lastEvent}</div>}
          </li>
        ))}
      </ul>
    </section>
  );
}

function newestFirst(a: FleetTenant, b: FleetTenant): number {
  return b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id);
}
