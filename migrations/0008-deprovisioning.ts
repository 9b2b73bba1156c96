import { Migration } from '@mikro-orm/migrations';

/**
 * Deprovisioning: a run is a provisioning or a deprovisioning (`kind`), and a deprovisioning
 * says how far it goes (`deprovision_mode`). Every run before this one was a provisioning.
 */
export class Migration0008Deprovisioning extends Migration {
  override name = '0008-deprovisioning';

  override up(): void {
    this.addSql(`
      ALTER TABLE provisioning_run
        ADD COLUMN kind text NOT NULL DEFAULT 'PROVISION',
        ADD COLUMN deprovision_mode text`);
  }
}
