import type { RunStatus } from '../../../../client/src/index.js';
import type { FleetSnapshot } from './fleet.js';
import { StatusBadge } from './StatusBadge.js';

/** Every state a tenant's latest run can be in, in the order a run goes through them; NOT_STARTED: never provisioned. */
const ORDER: ReadonlyArray<RunStatus | 'NOT_STARTED'> = ['NOT_STARTED', 'SCHEDULED', 'QUEUED', 'PENDING', 'IN_PROGRESS', 'COMPLETED', 'PARTIAL', 'FAILED', 'CANCELLED'];

/** How many tenants' latest runs are in each state, from the live fleet. */
export function StatusCounts({ tenants, loaded }: { tenants: FleetSnapshot; loaded: boolean }) {
  // Counts from a half-read fleet would mislead: nothing is shown until every page is in.
  if (!loaded) return <p className="muted">Counting runs…</p>;
  const counts = new Map<string, number>();
  for (const tenant of tenants.values()) {
    const status = tenant.run?.status ?? 'NOT_STARTED';
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  return (
    <ul className="counts" aria-label="Runs by status">
      {ORDER.map((status) => (
        <li key={status} data-testid={`count-${status}`} className={counts.get(status) ? '' : 'zero'}>
          <StatusBadge status={status} />
          <span className="count">{counts.get(status) ?? 0}</span>
        </li>
      ))}
      <li className="total">
        Total <span className="count">{tenants.size}</span>
      </li>
    </ul>
  );
}
