import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * One sign-in budget (`email:<address>` or `client:<address>`), written only by
 * rate-limiter-flexible (login-rate-limiter.ts); mapped so the schema MikroORM knows is the
 * schema migration 0003 made.
 */
@Entity({ tableName: 'login_rate_limit' })
export class LoginRateLimit {
  @PrimaryKey({ type: 'string', length: 255 })
  key!: string;

  /** Attempts counted in the current window. */
  @Property({ type: 'integer', default: 0 })
  points: number = 0;

  /** When the window ends, epoch ms; null for no end. */
  @Property({ type: 'bigint', nullable: true })
  expire?: string | null;
}
