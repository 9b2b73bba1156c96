import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import pg from 'pg';
import { migrations } from '../../../migrations/index.js';
import { EventOutboxEntry } from '../../provisioning/entities/event-outbox-entry.entity.js';
import { ProvisioningEvent } from '../../provisioning/entities/provisioning-event.entity.js';
import { ProvisioningRun } from '../../provisioning/entities/provisioning-run.entity.js';
import { ProvisioningStep } from '../../provisioning/entities/provisioning-step.entity.js';
import { LoginRateLimit } from '../../tenants/auth/login-rate-limit.entity.js';
import { Tenant } from '../../tenants/tenant.entity.js';
import { User } from '../../tenants/user.entity.js';
import { WebhookDelivery } from '../../webhooks/entities/webhook-delivery.entity.js';
import { WebhookEndpoint } from '../../webhooks/entities/webhook-endpoint.entity.js';

export const ENTITIES = [Tenant, User, ProvisioningRun, ProvisioningStep, ProvisioningEvent, EventOutboxEntry, LoginRateLimit, WebhookEndpoint, WebhookDelivery];

/** Any 64-bit number unique to this service: the key of the advisory lock around migrations. */
const MIGRATION_LOCK_KEY = 7_351_902_114;

export interface OrmOptions {
  poolMax?: number;
}

export async function openOrm(url: string, log: Logger, options: OrmOptions = {}): Promise<MikroORM> {
  const { poolMax = 20 } = options;
  return MikroORM.init({
    clientUrl: url,
    entities: ENTITIES,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    migrations: { migrationsList: migrations, snapshot: false, silent: true },
    // Our functions (the lease check in the transition statement) are written by the numbered
    // migrations, not declared as MikroORM routines: the schema diff must leave them alone.
    schemaGenerator: { ignoreRoutines: true },
    pool: { min: 0, max: poolMax },
    // Every request and run works on its own fork; the global manager is a bug.
    allowGlobalContext: false,
    debug: false,
    logger: (message) => log.debug({ orm: message }, 'orm'),
  });
}

/**
 * Applies pending migrations. Two processes starting at once on an empty database would both
 * try to create the tables, so the whole migration holds a session advisory lock: the second
 * waits, then finds nothing pending.
 */
export async function migrate(orm: MikroORM, url: string, log: Logger): Promise<string[]> {
  const lockClient = new pg.Client({ connectionString: url });
  await lockClient.connect();
  try {
    await lockClient.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await orm.migrator.up();
    const names = applied.map((migration) => migration.name);
    log.info({ applied: names }, names.length ? 'migrations applied' : 'database schema up to date');
    return names;
  } finally {
    await lockClient.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockClient.end();
  }
}
