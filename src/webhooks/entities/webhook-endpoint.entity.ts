import { ArrayType, OptionalProps } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { randomUUID } from 'node:crypto';
import type { EventType } from '../../provisioning/model.js';
import { Tenant } from '../../tenants/tenant.entity.js';

/**
 * Where a tenant's provisioning events are POSTed, signed with the endpoint's secret. No tenant
 * means every tenant's events (platform admins only). The transition statement reads
 * `enabled`, `tenant` and `eventTypes` to write a delivery per matching event.
 */
@Entity({ tableName: 'webhook_endpoint' })
@Index({ name: 'webhook_endpoint_tenant_idx', properties: ['tenant'] })
export class WebhookEndpoint {
  [OptionalProps]?: 'enabled' | 'disabledReason' | 'failingSince' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Tenant, { nullable: true, deleteRule: 'cascade', foreignKeyName: 'webhook_endpoint_tenant_id_fkey' })
  tenant!: Tenant | null;

  @Property({ type: 'text' })
  url!: string;

  @Property({ type: ArrayType })
  eventTypes!: EventType[];

  /** The signing secret, sealed (secrets.ts): readable only with the key the service derives from JWT_SECRET. */
  @Property({ type: 'text', lazy: true })
  secret!: string;

  @Property({ type: 'boolean', default: true })
  enabled: boolean = true;

  /** Why it was disabled: by whom, or after how long of failing deliveries. */
  @Property({ type: 'text', nullable: true })
  disabledReason: string | null = null;

  /** Since when every attempt failed (null after a success): 3 days of it disable the endpoint. */
  @Property({ type: 'datetime', nullable: true })
  failingSince: Date | null = null;

  @Property({ type: 'text' })
  createdBy!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
