import { useEffect, useState, useSyncExternalStore } from 'react';
import { subscribeProvisioningActivity } from '../../../../client/src/index.js';
import { Fleet, type FleetSnapshot, type TenantWithRun } from './fleet.js';
import { api, errorMessage, subscriptionOptions } from './session.js';
import { useEventStream } from './use-event-stream.js';

/** The service's largest tenants page: the first load reads the whole platform this many at a time. */
const PAGE_SIZE = 200;

export interface FleetState {
  tenants: FleetSnapshot;
  /** True once every tenant has been read: counts before that would be partial. */
  loaded: boolean;
  error: string | undefined;
  /** Tenants a query answered (this page created them, or a filter matched them). */
  add: (tenants: readonly TenantWithRun[]) => void;
}

/**
 * Every tenant and its latest run, live and without polling: every page of the tenants query
 * once, and the provisioningActivity subscription from the same moment on (the Fleet keeps the
 * newest state whichever answers first).
 */
export function useFleet(): FleetState {
  const [fleet] = useState(() => new Fleet((tenantId) => api.tenant(tenantId)));
  const tenants = useSyncExternalStore(fleet.subscribe, fleet.getSnapshot);
  const [loaded, setLoaded] = useState(false);
  const [loadError, setLoadError] = useState<string>();

  const streamError = useEventStream('fleet', (signal) => subscribeProvisioningActivity(subscriptionOptions(signal)), (event) => fleet.apply(event));

  useEffect(() => {
    let unmounted = false;
    (async () => {
      let after: string | null = null;
      do {
        const page = await api.tenants({ first: PAGE_SIZE, after });
        if (unmounted) return;
        fleet.add(page.edges.map((edge) => edge.node));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      fleet.finishLoading();
      setLoaded(true);
    })().catch((failure) => setLoadError(errorMessage(failure)));
    return () => {
      unmounted = true;
    };
  }, [fleet]);

  return { tenants, loaded, error: loadError ?? (streamError && `Live updates stopped: ${streamError}`), add: (nodes) => fleet.add(nodes) };
}
