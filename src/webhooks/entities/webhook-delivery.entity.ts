import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { EventRecord } from '../../provisioning/events/event-record.js';
import type { EventType } from '../../provisioning/model.js';
import { Tenant } from '../../tenants/tenant.entity.js';
import { OPEN_STATUSES_SQL, WebhookDeliveryStatus } from '../model.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';

/**
 * One event for one endpoint: the outbox row, inserted by the statement that writes the event
 * (so it exists exactly when the event does; never created through the ORM) and sent by
 * whichever replica claims it. `id` is the `webhook-id` of every attempt.
 */
@Entity({ tableName: 'webhook_delivery' })
@Unique({ name: 'webhook_delivery_endpoint_id_tenant_id_seq_key', properties: ['endpoint', 'tenant', 'seq'] })
@Index({
  name: 'webhook_delivery_due_idx',
  expression: `CREATE INDEX webhook_delivery_due_idx ON webhook_delivery (next_attempt_at) WHERE status IN ${OPEN_STATUSES_SQL}`,
})
@Index({
  name: 'webhook_delivery_endpoint_created_idx',
  expression: 'CREATE INDEX webhook_delivery_endpoint_created_idx ON webhook_delivery (endpoint_id, created_at DESC, id DESC)',
})
export class WebhookDelivery {
  [OptionalProps]?: 'status' | 'attempts' | 'nextAttemptAt' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => WebhookEndpoint, { deleteRule: 'cascade', foreignKeyName: 'webhook_delivery_endpoint_id_fkey' })
  endpoint!: WebhookEndpoint;

  /** With `seq`, the key of the event delivered. */
  @ManyToOne(() => Tenant, { deleteRule: 'cascade', foreignKeyName: 'webhook_delivery_tenant_id_fkey' })
  tenant!: Tenant;

  @Property({ type: 'integer' })
  seq!: number;

  @Property({ type: 'text' })
  eventType!: EventType;

  /** The event as subscriptions deliver it: the body of every attempt. */
  @Property({ type: 'json', columnType: 'jsonb' })
  payload!: EventRecord;

  @Property({ type: 'text', default: WebhookDeliveryStatus.PENDING })
  status!: WebhookDeliveryStatus;

  /** Attempts started; also the claim's fencing token (an outcome is written only by the attempt that is still the latest). */
  @Property({ type: 'integer', default: 0 })
  attempts!: number;

  /** Null once nothing more is due (DELIVERED, FAILED). */
  @Property({ type: 'datetime', nullable: true, defaultRaw: 'now()' })
  nextAttemptAt!: Date | null;

  /** Set while an attempt is in flight: no other replica claims it until then (a sender that died leaves it to run out). */
  @Property({ type: 'datetime', nullable: true })
  claimedUntil!: Date | null;

  @Property({ type: 'datetime', nullable: true })
  lastAttemptAt!: Date | null;

  @Property({ type: 'integer', nullable: true })
  lastStatusCode!: number | null;

  @Property({ type: 'text', nullable: true })
  lastError!: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  deliveredAt!: Date | null;
}
