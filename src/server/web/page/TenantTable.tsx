import type { FleetTenant } from './fleet.js';
import { tenantHref } from './selection.js';
import { StatusBadge } from './StatusBadge.js';
import { formatAge, useNow } from './use-now.js';

/** Ages are shown in minutes: a tick every 20 s keeps them right to within a third of one. */
const AGE_TICK_MS = 20_000;

/**
 * The tenants the filter matched, live. A row opens the tenant's run view; a narrow card shows each
 * tenant as a small block instead of a table row (styles.css), as the steps table does.
 */
export function TenantTable({ rows, queue, onSelect }: { rows: FleetTenant[]; queue: ReadonlyMap<string, number>; onSelect: (tenantId: string) => void }) {
  const now = useNow(AGE_TICK_MS);
  return (
    <table className="tenants">
      <thead>
        <tr>
          <th>Workspace</th>
          <th>Run</th>
          <th>Step</th>
          <th>Error</th>
          <th>Age</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((tenant) => (
          <TenantRow key={tenant.id} tenant={tenant} queuePosition={queue.get(tenant.id)} now={now} onSelect={() => onSelect(tenant.id)} />
        ))}
      </tbody>
    </table>
  );
}

interface RowProps {
  tenant: FleetTenant;
  queuePosition: number | undefined;
  now: number;
  onSelect: () => void;
}

function TenantRow({ tenant, queuePosition, now, onSelect }: RowProps) {
  const { run } = tenant;
  const status = run?.status ?? 'NOT_STARTED';
  // A completed run's current step is its last one: nothing an operator needs to read.
  const step = status === 'COMPLETED' ? undefined : run?.steps.find((candidate) => candidate.key === run.currentStep);
  // A partial run can have several failed steps, each with its own code.
  const failed = run?.steps.filter((candidate) => candidate.status === 'FAILED' && candidate.errorCode) ?? [];
  return (
    // The whole row opens the run view; the name is the link for keyboards and screen readers.
    <tr data-testid="tenant-row" className={`tenant status-${status}`} onClick={onSelect}>
      <td className="name">
        <a href={tenantHref(tenant.id)}>{tenant.name}</a>
      </td>
      <td className="state">
        <StatusBadge status={status} />
        {queuePosition && <span className="queue-place muted small-text"> #{queuePosition} in queue</span>}
        {run?.status === 'SCHEDULED' && run.runAt && <span className="muted small-text"> at {new Date(run.runAt).toLocaleString()}</span>}
      </td>
      <td className="step" data-label="Step">
        {step?.title ?? ''}
      </td>
      <td className="error-code" data-testid="error-code">
        {failed.map((failure) => (
          <code key={failure.key} title={`${failure.title}: ${failure.error ?? ''}`}>
            {failure.errorCode}
          </code>
        ))}
      </td>
      <td className="age" data-label="Age">
        <time dateTime={run?.startedAt ?? tenant.createdAt}>{formatAge(run?.startedAt ?? tenant.createdAt, now)}</time>
      </td>
    </tr>
  );
}
