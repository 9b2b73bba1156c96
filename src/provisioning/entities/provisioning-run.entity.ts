import { Collection, OptionalProps } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, OneToMany, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { randomUUID } from 'node:crypto';
import { Tenant } from '../../tenants/tenant.entity.js';
import {
  ACTIVE_RUN_STATUSES,
  DeprovisionMode,
  EXECUTING_RUN_STATUSES,
  ProvisioningTemplate,
  ProvisioningType,
  RunKind,
  RunStatus,
  sqlList,
  StepKey,
  type Resources,
  type RunConfig,
} from '../model.js';
import { ProvisioningStep } from './provisioning-step.entity.js';

/**
 * A provisioning run of a tenant: its plan's steps and where they stand. The process that
 * executes it holds its lease (`leaseOwner` until `leaseExpiresAt`); the database allows one
 * active run per tenant.
 */
@Entity({ tableName: 'provisioning_run' })
@Index({
  name: 'provisioning_run_one_active_per_tenant',
  expression: `CREATE UNIQUE INDEX provisioning_run_one_active_per_tenant ON provisioning_run (tenant_id) WHERE status IN ${sqlList(ACTIVE_RUN_STATUSES)}`,
})
@Index({
  name: 'provisioning_run_active_lease_idx',
  expression: `CREATE INDEX provisioning_run_active_lease_idx ON provisioning_run (lease_expires_at) WHERE status IN ${sqlList(EXECUTING_RUN_STATUSES)}`,
})
@Index({
  name: 'provisioning_run_queue_idx',
  expression: `CREATE INDEX provisioning_run_queue_idx ON provisioning_run (priority DESC, queued_at, id) WHERE status = 'QUEUED'`,
})
@Index({ name: 'provisioning_run_scheduled_idx', expression: `CREATE INDEX provisioning_run_scheduled_idx ON provisioning_run (run_at) WHERE status = 'SCHEDULED'` })
@Index({ name: 'provisioning_run_tenant_started_idx', expression: 'CREATE INDEX provisioning_run_tenant_started_idx ON provisioning_run (tenant_id, started_at DESC)' })
export class ProvisioningRun {
  [OptionalProps]?: 'resources' | 'cancelRequested' | 'startedAt' | 'createdAt' | 'updatedAt' | 'steps' | 'priority' | 'kind' | 'deprovisionMode';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Tenant, { deleteRule: 'cascade', foreignKeyName: 'provisioning_run_tenant_id_fkey' })
  tenant!: Tenant;

  /** Whether it sets the tenant up or takes it down. */
  @Property({ type: 'text', default: RunKind.PROVISION })
  kind: RunKind = RunKind.PROVISION;

  /** A deprovisioning's mode, which picked its steps; null for a provisioning. */
  @Property({ type: 'text', nullable: true })
  deprovisionMode: DeprovisionMode | null = null;

  /** For a deprovisioning, like `template` and `config`: the provisioning's it takes down. */
  @Property({ type: 'text' })
  type!: ProvisioningType;

  /** The template its steps came from; a deprovisioning's steps come from its mode. */
  @Property({ type: 'text', default: ProvisioningTemplate.FULL_POS })
  template!: ProvisioningTemplate;

  @Property({ type: 'json', columnType: 'jsonb' })
  config!: RunConfig;

  @Property({ type: 'text' })
  status!: RunStatus;

  @Property({ type: 'text', nullable: true })
  currentStep: StepKey | null = null;

  /**
   * Engine names of what the run created or found, by kind (`company`, `warehouses`, ...); a
   * deprovisioning's are what it takes down, copied from provisioning when it was accepted.
   */
  @Property({ type: 'json', columnType: 'jsonb', defaultRaw: `'{}'::jsonb` })
  resources: Resources = {};

  @Property({ type: 'text', nullable: true })
  leaseOwner: string | null = null;

  @Property({ type: 'datetime', nullable: true })
  leaseExpiresAt: Date | null = null;

  /** Higher is admitted first; equal priorities go in order of `queuedAt`. */
  @Property({ type: 'integer', default: 0 })
  priority: number = 0;

  /** Not admitted before this (SCHEDULED until then). */
  @Property({ type: 'datetime', nullable: true })
  runAt: Date | null = null;

  /** When it joined the queue (PostgreSQL's clock), for first-come order within a priority. */
  @Property({ type: 'datetime', nullable: true })
  queuedAt: Date | null = null;

  /** Set by cancelProvisioning; the executor reads it at its next transition and stops. */
  @Property({ type: 'boolean', default: false })
  cancelRequested: boolean = false;

  @Property({ type: 'text', nullable: true })
  startedBy: string | null = null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  startedAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  completedAt: Date | null = null;

  @OneToMany(() => ProvisioningStep, (step) => step.run, { orderBy: { index: 'asc' } })
  steps = new Collection<ProvisioningStep>(this);

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
