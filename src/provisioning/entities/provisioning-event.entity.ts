import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { EventType, StepKey } from '../model.js';

/**
 * One line of a tenant's provisioning history. Append only; `(tenantId, seq)` is gap-free per
 * tenant because `seq` is taken from `tenant.last_event_seq` under the tenant's row lock in the
 * transaction of the change it describes. `payload` is the provisioning state after the event.
 */
@Entity({ tableName: 'provisioning_event' })
export class ProvisioningEvent {
  @PrimaryKey({ type: 'uuid', fieldName: 'tenant_id' })
  tenantId!: string;

  @PrimaryKey({ type: 'integer' })
  seq!: number;

  @Property({ type: 'uuid', nullable: true, fieldName: 'run_id' })
  runId?: string | null;

  @Enum({ items: () => EventType, type: 'text' })
  type!: EventType;

  @Enum({ items: () => StepKey, type: 'text', nullable: true })
  step?: StepKey | null;

  @Property({ type: 'text' })
  message!: string;

  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Property({ type: 'datetime' })
  at: Date = new Date();
}
