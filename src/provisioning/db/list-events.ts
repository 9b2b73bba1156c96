import type { EntityManager } from '@mikro-orm/postgresql';
import { ProvisioningEvent } from '../entities/provisioning-event.entity.js';
import { toEventRecord, type EventRecord } from '../events/event-record.js';

/** Events of a tenant with `after < seq < before` (before unset: all), oldest first, at most `limit`. */
export async function listEvents(em: EntityManager, tenantId: string, after: number, limit: number, before?: number): Promise<EventRecord[]> {
  const events = await em.find(
    ProvisioningEvent,
    { tenant: tenantId, seq: before === undefined ? { $gt: after } : { $gt: after, $lt: before } },
    // Subscriptions read through long-lived forks: nothing may pile up in their identity maps.
    { orderBy: { seq: 'asc' }, limit, disableIdentityMap: true },
  );
  return events.map(toEventRecord);
}
