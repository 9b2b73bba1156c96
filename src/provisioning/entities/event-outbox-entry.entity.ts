import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * An event committed but not yet published on the external event bus (migration 0009). Written
 * by the transition statement, read and deleted by the relay (src/provisioning/events/event-relay.ts).
 */
@Entity({ tableName: 'provisioning_event_outbox' })
export class EventOutboxEntry {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  /** The event as subscribers receive it (JSON). */
  @Property({ type: 'text' })
  payload!: string;
}
