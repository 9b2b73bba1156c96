import { EventLog } from './EventLog.js';
import { RunActions } from './RunActions.js';
import { StatusBadge } from './StatusBadge.js';
import { StepTable } from './StepTable.js';
import { useRun } from './use-run.js';

/** One tenant's provisioning, live: state, progress, the buttons the service would accept, steps and events. */
export function RunView({ tenantId }: { tenantId: string }) {
  const { tenant, run, events, error } = useRun(tenantId);
  const progress = Math.round(run?.progress ?? 0);
  return (
    <section className="card run" aria-label={tenant ? `Provisioning of ${tenant.name}` : 'Provisioning'}>
      <header className="run-header">
        <h2>{tenant?.name ?? 'Loading…'}</h2>
        <StatusBadge status={run?.status ?? (tenant ? 'NOT_STARTED' : 'LOADING')} testId="run-status" />
      </header>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={progress} data-testid="progress">
        <div className="progress-fill" style={{ width: `${progress}%` }} />
        <span>{progress}%</span>
      </div>
      {tenant && <RunActions tenantId={tenantId} run={run} />}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {run && <StepTable tenantId={tenantId} run={run} />}
      <EventLog events={events} />
    </section>
  );
}
