import { Migration } from '@mikro-orm/migrations';

/**
 * A run asked to cancel starts (or skips) no other step, even one whose start is written in the
 * same transaction as the end of the step before it (the executor learns of a cancel only from
 * what it commits). The transition statement leaves such a start out and calls this, which says
 * why it wrote nothing: SQLSTATE PL002 for the cancel (read afresh: it may have committed while
 * the statement waited for the tenant's row), PL001 for a lost lease as before. 0007's
 * provisioning_lease_lost stays: replicas of the previous version call it during a rolling deploy.
 */
export class Migration0010StartRefused extends Migration {
  override name = '0010-start-refused';

  override up(): void {
    this.addSql(`
      CREATE FUNCTION provisioning_transition_refused(run_id uuid, step_start boolean) RETURNS boolean LANGUAGE plpgsql AS $$
      BEGIN
        IF step_start AND EXISTS (SELECT 1 FROM provisioning_run WHERE id = run_id AND cancel_requested) THEN
          RAISE EXCEPTION 'run % was asked to cancel: it starts no other step', run_id USING ERRCODE = 'PL002';
        END IF;
        RAISE EXCEPTION 'run % is leased to another process', run_id USING ERRCODE = 'PL001';
      END $$`);
  }
}
