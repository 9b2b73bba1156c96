import { Migration } from '@mikro-orm/migrations';

/**
 * Flow control: runs wait QUEUED (by priority, then arrival) or SCHEDULED (until `run_at`)
 * before they execute, and such a waiting run is as much a tenant's one active run as an
 * executing one.
 */
export class Migration0004FlowControl extends Migration {
  override name = '0004-flow-control';

  override up(): void {
    this.addSql(`
      ALTER TABLE provisioning_run
        ADD COLUMN priority integer NOT NULL DEFAULT 0,
        ADD COLUMN run_at timestamptz,
        ADD COLUMN queued_at timestamptz`);
    this.addSql(`DROP INDEX provisioning_run_one_active_per_tenant`);
    this.addSql(`
      CREATE UNIQUE INDEX provisioning_run_one_active_per_tenant
        ON provisioning_run (tenant_id) WHERE status IN ('PENDING', 'QUEUED', 'SCHEDULED', 'IN_PROGRESS')`);
    // Admission takes the head of the queue: highest priority first, then first come.
    this.addSql(`CREATE INDEX provisioning_run_queue_idx ON provisioning_run (priority DESC, queued_at, id) WHERE status = 'QUEUED'`);
    this.addSql(`CREATE INDEX provisioning_run_scheduled_idx ON provisioning_run (run_at) WHERE status = 'SCHEDULED'`);
  }
}
