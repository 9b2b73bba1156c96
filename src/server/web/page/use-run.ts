import { useEffect, useState } from 'react';
import { subscribeProvisioningEvents, type ProvisioningEvent, type ProvisioningFieldsFragment, type TenantQuery } from '../../../../client/src/index.js';
import { newestRun } from './newest-run.js';
import { api, errorMessage, subscriptionOptions } from './session.js';
import { useEventStream } from './use-event-stream.js';

/** Events kept in the on-page log; older ones scroll off. */
const EVENT_LOG_LENGTH = 50;

export type Tenant = NonNullable<TenantQuery['tenant']>;
export type Run = ProvisioningFieldsFragment;

export interface RunState {
  /** Undefined until the tenant query answers. */
  tenant: Tenant | undefined;
  /** The newest state seen, from the tenant query or an event; null: never started. */
  run: Run | null;
  /** Newest first. */
  events: ProvisioningEvent[];
  error: string | undefined;
}

/**
 * One tenant's run, live, without polling: the tenant query once, then its events from the first
 * (`after: 0`: the log of a new tenant starts at seq 1), replayed and then live. Replayed events
 * carry older states, so the state shown is whichever is newest by lastEventSeq.
 */
export function useRun(tenantId: string): RunState {
  const [tenant, setTenant] = useState<Tenant>();
  const [run, setRun] = useState<Run | null>(null);
  const [events, setEvents] = useState<ProvisioningEvent[]>([]);
  const [loadError, setLoadError] = useState<string>();
  const keepNewest = (next: Run | null) => setRun((current) => newestRun(current, next));

  useEffect(() => {
    api
      .tenant(tenantId)
      .then((found) => {
        if (!found) return setLoadError(`No workspace with id ${tenantId}.`);
        setTenant(found);
        keepNewest(found.provisioning);
      })
      .catch((failure) => setLoadError(errorMessage(failure)));
  }, [tenantId]);

  const streamError = useEventStream(
    tenantId,
    (signal) => subscribeProvisioningEvents({ ...subscriptionOptions(signal), tenantId, after: 0 }),
    (event) => {
      keepNewest(event.provisioning);
      setEvents((list) => [event, ...list].slice(0, EVENT_LOG_LENGTH));
    },
  );
  return { tenant, run, events, error: loadError ?? (streamError && `Live updates stopped: ${streamError}`) };
}
