import { Migration } from '@mikro-orm/migrations';

/**
 * Plans: a run records the template it started from, and each of its steps what it waits for
 * and its input, so that a deploy that changes a template never alters a run in flight.
 */
export class Migration0006Plans extends Migration {
  override name = '0006-plans';

  override up(): void {
    this.addSql(`ALTER TABLE provisioning_run ADD COLUMN template text NOT NULL DEFAULT 'FULL_POS'`);
    this.addSql(`
      ALTER TABLE provisioning_step
        ADD COLUMN depends_on text[] NOT NULL DEFAULT '{}',
        ADD COLUMN input jsonb`);
    // Runs from before: the eleven steps ran one after another, each after the one before it.
    this.addSql(`
      UPDATE provisioning_step s SET depends_on = ARRAY[p.key]
        FROM provisioning_step p WHERE p.run_id = s.run_id AND p.index = s.index - 1`);
  }
}
