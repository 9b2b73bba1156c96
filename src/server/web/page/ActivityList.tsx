import { useEffect, useState } from 'react';
import { subscribeProvisioningActivity, type ProvisioningEvent, type TenantFieldsFragment } from '../../../../client/src/index.js';
import { api, errorMessage, subscriptionOptions } from './session.js';
import { StatusBadge } from './StatusBadge.js';
import { useEventStream } from './use-event-stream.js';

export interface TenantRow {
  id: string;
  name: string;
  createdAt: string;
  status: string;
  progress: number;
  lastEvent?: string;
}

type TenantWithRun = TenantFieldsFragment & { provisioning: { status: string; progress: number } | null };

function rowOf(tenant: TenantWithRun): TenantRow {
  return {
    id: tenant.id,
    name: tenant.name,
    createdAt: tenant.createdAt,
    status: tenant.provisioning?.status ?? tenant.provisioningStatus,
    progress: tenant.provisioning?.progress ?? 0,
  };
}

/** Tenants shown at first load; the activity stream keeps them current afterwards. */
const FIRST_PAGE = 50;

/**
 * Every tenant of the platform and where its provisioning stands, newest first, kept current by
 * the provisioningActivity subscription (a platform admin's view). `added` are tenants this page
 * just created, shown before their first event arrives.
 */
export function ActivityList({ added, selectedId, onSelect }: { added: TenantWithRun[]; selectedId: string | undefined; onSelect: (tenantId: string) => void }) {
  const [rows, setRows] = useState<TenantRow[]>([]);
  const [loadError, setLoadError] = useState<string>();

  useEffect(() => {
    api
      .tenants({ first: FIRST_PAGE })
      .then((page) => setRows((current) => merge(current, page.edges.map((edge) => rowOf(edge.node)))))
      .catch((failure) => setLoadError(errorMessage(failure)));
  }, []);
  useEffect(() => setRows((current) => merge(current, added.map(rowOf))), [added]);

  const streamError = useEventStream('activity', (signal) => subscribeProvisioningActivity(subscriptionOptions(signal)), (event: ProvisioningEvent) => {
    setRows((current) => {
      const known = current.find((row) => row.id === event.tenantId);
      if (!known) {
        // A tenant created elsewhere: fetch it once, then it is kept current by events.
        void api.tenant(event.tenantId).then((tenant) => tenant && setRows((again) => merge(again, [rowOf(tenant)])));
        return current;
      }
      const update = { status: event.provisioning?.status ?? known.status, progress: event.provisioning?.progress ?? known.progress, lastEvent: `${event.type}: ${event.message}` };
      return current.map((row) => (row.id === event.tenantId ? { ...row, ...update } : row));
    });
  });

  return (
    <section className="card" aria-label="Activity">
      <h2>Activity</h2>
      {(loadError ?? streamError) && <p className="error" role="alert">{loadError ?? streamError}</p>}
      {rows.length === 0 && <p className="muted">No workspaces yet.</p>}
      <ul className="activity">
        {rows.map((row) => (
          <li key={row.id} className={row.id === selectedId ? 'selected' : ''} aria-current={row.id === selectedId ? 'true' : undefined} data-testid="activity-row">
            <button className="link" onClick={() => onSelect(row.id)}>
              {row.name}
            </button>
            <StatusBadge status={row.status} />
            <span className="muted">{Math.round(row.progress)}%</span>
            {row.lastEvent && <div className="muted small-text">{row.lastEvent}</div>}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Rows not yet listed join the list; a row already listed keeps its live state. Newest first, as on every load. */
function merge(current: TenantRow[], incoming: TenantRow[]): TenantRow[] {
  const fresh = incoming.filter((row) => !current.some((existing) => existing.id === row.id));
  return [...current, ...fresh].sort(newestFirst);
}

function newestFirst(a: TenantRow, b: TenantRow): number {
  return b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id);
}
