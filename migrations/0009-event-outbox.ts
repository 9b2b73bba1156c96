import { Migration } from '@mikro-orm/migrations';

/**
 * With an external event bus (EVENT_BUS_URL=redis://...), a transition writes its event here
 * instead of sending a NOTIFY, in its own statement: the relay publishes the rows in order and
 * deletes them once published, so an event committed is published at least once, whatever
 * process dies when.
 */
export class Migration0009EventOutbox extends Migration {
  override name = '0009-event-outbox';

  override up(): void {
    this.addSql(`CREATE TABLE provisioning_event_outbox (id bigserial PRIMARY KEY, payload text NOT NULL)`);
  }
}
