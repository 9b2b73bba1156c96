import type { FleetSnapshot, FleetTenant } from './fleet.js';

/**
 * Each QUEUED run's place in the queue (1: next to start), kept live on the page. The service
 * reports queuePosition when a run is read, but events carry none, and a queued run's place
 * changes with no event of its own whenever another run starts ahead of it. So the page orders
 * the queue as the service admits it (admission.ts: priority, highest first, then time of
 * queueing, then run id): runs it saw join the queue live by their RUN_QUEUED time (written a
 * moment after the service's own queueing time, so two runs queued in the same instant may come
 * out swapped); runs it only read, which queued before the page was watching, ahead of those, in
 * the order the service last reported.
 */
export function queuePositions(tenants: FleetSnapshot): ReadonlyMap<string, number> {
  const queued = [...tenants.values()].filter((tenant) => tenant.run?.status === 'QUEUED').sort(byAdmissionOrder);
  return new Map(queued.map((tenant, index) => [tenant.id, index + 1]));
}

function byAdmissionOrder(a: FleetTenant, b: FleetTenant): number {
  const [runA, runB] = [a.run!, b.run!];
  if (runA.priority !== runB.priority) return runB.priority - runA.priority;
  if (!a.queuedAt || !b.queuedAt) {
    if (a.queuedAt || b.queuedAt) return a.queuedAt ? 1 : -1;
    return (runA.queuePosition ?? Number.MAX_SAFE_INTEGER) - (runB.queuePosition ?? Number.MAX_SAFE_INTEGER);
  }
  return a.queuedAt.localeCompare(b.queuedAt) || runA.id.localeCompare(runB.id);
}
