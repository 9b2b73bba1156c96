import { useState } from 'react';
import type { TenantFilter } from '../../../../client/src/index.js';
import type { FleetTenant } from './fleet.js';
import { queuePositions } from './queue-order.js';
import { RetryAllShown } from './RetryAllShown.js';
import { StatusCounts } from './StatusCounts.js';
import { TenantFilterForm } from './TenantFilterForm.js';
import { TenantTable } from './TenantTable.js';
import type { FleetState } from './use-fleet.js';
import { MAX_ROWS, useMatches, type Applied } from './use-matches.js';

/**
 * A platform admin's run explorer: live counts per run state, the service's tenant filter, the
 * matching tenants (each opens its run view), and "Retry all shown".
 */
export function RunExplorer({ fleet, hidden, onSelect }: { fleet: FleetState; hidden: boolean; onSelect: (tenantId: string) => void }) {
  const [applied, setApplied] = useState<Applied>({ filter: {}, generation: 0 });
  const matches = useMatches(applied, fleet);
  const rows = (matches.ids ?? []).map((id) => fleet.tenants.get(id)).filter((tenant): tenant is FleetTenant => tenant !== undefined);
  const apply = (filter: TenantFilter) => setApplied(({ generation }) => ({ filter, generation: generation + 1 }));

  return (
    <section className="card explorer" aria-label="Run explorer" hidden={hidden}>
      <h2>Runs</h2>
      <StatusCounts tenants={fleet.tenants} loaded={fleet.loaded} />
      <TenantFilterForm onApply={apply} />
      {matches.error && (
        <p className="error" role="alert">
          {matches.error}
        </p>
      )}
      <p className="muted small-text" data-testid="match-summary">
        {summary(matches.ids, matches.total, matches.at)}
      </p>
      {/* A new Apply starts from a fresh button: the last answer belongs to the last filter. */}
      <RetryAllShown key={applied.generation} filter={applied.filter} rows={rows} total={matches.total} tenants={fleet.tenants} />
      {rows.length > 0 && <TenantTable rows={rows} queue={queuePositions(fleet.tenants)} onSelect={onSelect} />}
    </section>
  );
}

function summary(ids: string[] | undefined, total: number, at: Date | undefined): string {
  if (!ids) return 'Loading…';
  if (total === 0) return 'No tenant matches.';
  const shown = total > MAX_ROWS ? `${MAX_ROWS} of ${total} tenants shown` : `${total} ${total === 1 ? 'tenant' : 'tenants'}`;
  // Rows follow their runs live, but the list itself is the service's answer at that moment.
  return at ? `${shown}, matched at ${at.toLocaleTimeString()}; their runs update live.` : `${shown}, live.`;
}
