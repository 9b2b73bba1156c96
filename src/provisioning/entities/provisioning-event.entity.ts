import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Tenant } from '../../tenants/tenant.entity.js';
import { EventType, StepKey } from '../model.js';
import type { ProvisioningView } from '../run-view.js';
import { ProvisioningRun } from './provisioning-run.entity.js';

/**
 * One line of a tenant's provisioning history, append only. `(tenant, seq)` is gap-free per
 * tenant: `seq` comes from `tenant.last_event_seq` under the tenant's row lock in the transaction
 * of the change it describes. `payload.provisioning` is the run's state right after the event.
 */
@Entity({ tableName: 'provisioning_event' })
export class ProvisioningEvent {
  @ManyToOne(() => Tenant, { primary: true, deleteRule: 'cascade', foreignKeyName: 'provisioning_event_tenant_id_fkey' })
  tenant!: Tenant;

  @PrimaryKey({ type: 'integer' })
  seq!: number;

  @ManyToOne(() => ProvisioningRun, { nullable: true, deleteRule: 'cascade', foreignKeyName: 'provisioning_event_run_id_fkey' })
  run!: ProvisioningRun | null;

  @Property({ type: 'text' })
  type!: EventType;

  @Property({ type: 'text', nullable: true })
  step!: StepKey | null;

  @Property({ type: 'text' })
  message!: string;

  @Property({ type: 'json', columnType: 'jsonb' })
  payload!: { provisioning: ProvisioningView | null };

  /** PostgreSQL's clock at the transaction that wrote it. */
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  at!: Date;
}
