import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { randomUUID } from 'node:crypto';
import { EngineKind, TenantProvisioningStatus } from './model.js';

/** A workspace of the platform, provisioned into an ERP engine. */
@Entity({ tableName: 'tenant' })
@Index({ name: 'tenant_status_created_idx', properties: ['provisioningStatus', 'createdAt', 'id'] })
@Index({ name: 'tenant_created_idx', properties: ['createdAt', 'id'] })
export class Tenant {
  [OptionalProps]?: 'engine' | 'provisioningStatus' | 'lastEventSeq' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  name!: string;

  /** URL-safe, unique, derived from the name. */
  @Property({ type: 'text' })
  @Unique({ name: 'tenant_slug_key' })
  slug!: string;

  @Property({ type: 'text', nullable: true })
  category?: string | null;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  /** ISO 3166-1 alpha-2. */
  @Property({ columnType: 'char(2)' })
  countryCode!: string;

  @Property({ type: 'text', default: EngineKind.ERPNEXT })
  engine: EngineKind = EngineKind.ERPNEXT;

  @Property({ type: 'text' })
  adminEmail!: string;

  @Property({ type: 'text' })
  adminName!: string;

  @Property({ type: 'text', default: TenantProvisioningStatus.NOT_PROVISIONED })
  provisioningStatus: TenantProvisioningStatus = TenantProvisioningStatus.NOT_PROVISIONED;

  @Property({ type: 'datetime', nullable: true })
  provisionedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  provisioningError?: string | null;

  /**
   * Seq of the tenant's latest provisioning event: bumped under this row's lock in the
   * transaction of the change the event describes (provisioning/transitions), so seqs are
   * gap-free and in commit order.
   */
  @Property({ type: 'integer', default: 0 })
  lastEventSeq: number = 0;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
