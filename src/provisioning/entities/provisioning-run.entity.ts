import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { randomUUID } from 'node:crypto';
import { Tenant } from '../../tenants/tenant.entity.js';
import { ProvisioningType, RunStatus, StepKey, type RunConfig } from '../model.js';

@Entity({ tableName: 'provisioning_run' })
export class ProvisioningRun {
  [OptionalProps]?: 'resources' | 'cancelRequested' | 'startedAt' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Tenant, { deleteRule: 'cascade' })
  tenant!: Tenant;

  @Enum({ items: () => ProvisioningType, type: 'text' })
  type!: ProvisioningType;

  @Property({ type: 'json' })
  config!: RunConfig;

  @Enum({ items: () => RunStatus, type: 'text' })
  status!: RunStatus;

  @Enum({ items: () => StepKey, type: 'text', nullable: true })
  currentStep?: StepKey | null;

  /** Engine names of what the run created or found, by kind (`company`, `warehouses`, ...). */
  @Property({ type: 'json' })
  resources: Record<string, unknown> = {};

  @Property({ type: 'text', nullable: true })
  leaseOwner?: string | null;

  @Property({ type: 'datetime', nullable: true })
  leaseExpiresAt?: Date | null;

  @Property({ type: 'boolean' })
  cancelRequested: boolean = false;

  @Property({ type: 'text', nullable: true })
  startedBy?: string | null;

  @Property({ type: 'datetime' })
  startedAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
