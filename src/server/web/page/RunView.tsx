import { useState } from 'react';
import {
  subscribeProvisioningEvents,
  type ProvisioningEvent,
  type ProvisioningFieldsFragment,
  type StepKey,
} from '../../../../client/src/index.js';
import { allowedActions, canSkip } from './run-actions.js';
import { api, errorMessage, subscriptionOptions } from './session.js';
import { StepRow } from './StepRow.js';
import { useEventStream } from './use-event-stream.js';

/** Events kept in the on-page log; older ones scroll off. */
const EVENT_LOG_LENGTH = 50;

/**
 * One tenant's provisioning, live: the subscription's SNAPSHOT, then every event; the state
 * shown is always the one carried by the newest event, so the page never polls.
 */
export function RunView({ tenantId, tenantName }: { tenantId: string; tenantName: string }) {
  const [run, setRun] = useState<ProvisioningFieldsFragment | null>(null);
  const [events, setEvents] = useState<ProvisioningEvent[]>([]);
  const [actionError, setActionError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const streamError = useEventStream(
    tenantId,
    (signal) => subscribeProvisioningEvents({ ...subscriptionOptions(signal), tenantId }),
    (event) => {
      setRun(event.provisioning);
      if (event.type !== 'SNAPSHOT') setEvents((list) => [event, ...list].slice(0, EVENT_LOG_LENGTH));
    },
  );

  async function act(action: () => Promise<unknown>) {
    setBusy(true);
    setActionError(undefined);
    try {
      await action();
    } catch (failure) {
      setActionError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  const allowed = allowedActions(run);
  const skip = (step: StepKey) => act(() => api.skipStep(tenantId, step, 'skipped from the provisioning page'));
  return (
    <section className="card run" aria-label={`Provisioning of ${tenantName}`}>
      <header className="run-header">
        <h2>{tenantName}</h2>
        <span className={`badge ${run?.status ?? 'NONE'}`} data-testid="run-status">
          {run?.status ?? 'NOT STARTED'}
        </span>
      </header>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(run?.progress ?? 0)} data-testid="progress">
        <div className="progress-fill" style={{ width: `${run?.progress ?? 0}%` }} />
        <span>{Math.round(run?.progress ?? 0)}%</span>
      </div>
      <div className="actions">
        {allowed.start && <button disabled={busy} onClick={() => act(() => api.startProvisioning(tenantId))}>Start</button>}
        {allowed.retry && <button disabled={busy} onClick={() => act(() => api.retryProvisioning(tenantId))}>Retry</button>}
        {allowed.continue && <button disabled={busy} onClick={() => act(() => api.continueProvisioning(tenantId))}>Continue</button>}
        {allowed.cancel && <button className="danger" disabled={busy} onClick={() => act(() => api.cancelProvisioning(tenantId))}>Cancel</button>}
      </div>
      {actionError && <p className="error" role="alert">{actionError}</p>}
      {streamError && <p className="error" role="alert">Live updates stopped: {streamError}</p>}
      {run && (
        <table className="steps">
          <thead>
            <tr>
              <th>#</th>
              <th>Step</th>
              <th>State</th>
              <th>Duration</th>
              <th>Attempts</th>
              <th>Details</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {run.steps.map((step) => (
              <StepRow key={step.key} step={step} onSkip={canSkip(run, step) ? () => skip(step.key) : undefined} busy={busy} />
            ))}
          </tbody>
        </table>
      )}
      <ol className="event-log" aria-label="Events">
        {events.map((event) => (
          <li key={event.seq}>
            <span className="seq">#{event.seq}</span> <span className="type">{event.type}</span> {event.message}
          </li>
        ))}
      </ol>
    </section>
  );
}
