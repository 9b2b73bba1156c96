import { Migration } from '@mikro-orm/migrations';

/**
 * A transition is one statement, run on its own without BEGIN/COMMIT (one round trip instead of
 * three). When its run's lease turns out to be lost it must write nothing, not even the tenant's
 * seq it bumped first (a seq without its event would be a gap): it calls this, and the error
 * undoes the whole statement. SQLSTATE PL001 is ours (class PL: no standard class uses it).
 */
export class Migration0007LeaseLost extends Migration {
  override name = '0007-lease-lost';

  override up(): void {
    this.addSql(`
      CREATE FUNCTION provisioning_lease_lost(run_id uuid) RETURNS boolean LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'run % is leased to another process', run_id USING ERRCODE = 'PL001';
      END $$`);
  }
}
