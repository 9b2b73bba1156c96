import { Migration } from '@mikro-orm/migrations';

/**
 * Token revocation: a user's token version, bumped when its password changes; tokens carry the
 * version they were issued at. Sign-in budgets shared by every replica, in the table layout
 * rate-limiter-flexible's RateLimiterPostgres uses (it is told the table exists and never
 * creates one at run time).
 */
export class Migration0003Security extends Migration {
  override name = '0003-security';

  override up(): void {
    this.addSql(`ALTER TABLE app_user ADD COLUMN token_version integer NOT NULL DEFAULT 0`);
    this.addSql(`
      CREATE TABLE login_rate_limit (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
  }
}
