import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../src/lib/logger.js';
import { migrations } from '../../migrations/index.js';
import { migrate, openOrm } from '../../src/server/database/orm.js';
import { adminUrl, createTestDatabase, templateDatabase, testDatabaseName, withDatabase } from '../support/postgres-admin.js';

describe('migrations', () => {
  it('two processes migrating one empty database at once both succeed, and the schema is applied once', async () => {
    const server = adminUrl();
    const name = testDatabaseName('race_');
    await withDatabase(server, (client) => client.query(`CREATE DATABASE ${name}`));
    const url = Object.assign(new URL(server), { pathname: `/${name}` }).toString();
    const log = createLogger({ level: 'silent', pretty: false });
    const [a, b] = await Promise.all([openOrm(url, log), openOrm(url, log)]);
    try {
      const [appliedA, appliedB] = await Promise.all([migrate(a, url, log), migrate(b, url, log)]);
      expect([...appliedA, ...appliedB]).toEqual(migrations.map((migration) => migration.name));
      const rows = await a.em.fork().execute(`SELECT count(*)::int AS n FROM mikro_orm_migrations`);
      expect(rows[0]!.n).toBe(migrations.length);
    } finally {
      await a.close(true);
      await b.close(true);
      await withDatabase(server, (client) => client.query(`DROP DATABASE ${name} WITH (FORCE)`));
    }
  });

  it('allows at most one active run per tenant, in the database itself', async () => {
    const server = adminUrl();
    const name = testDatabaseName('index_');
    await withDatabase(server, (client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${templateDatabase()}`));
    const url = Object.assign(new URL(server), { pathname: `/${name}` }).toString();
    try {
      await withDatabase(url, async (client) => {
        const tenant = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
        await client.query(`INSERT INTO tenant (id, name, slug, country_code, admin_email, admin_name) VALUES ($1, 'T', 't', 'KE', 'a@b.co', 'A')`, [tenant]);
        const insert = (id: string, status: string) =>
          client.query(`INSERT INTO provisioning_run (id, tenant_id, type, config, status) VALUES ($1, $2, 'FULL_POS', '{}', $3)`, [id, tenant, status]);
        await insert('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbb1', 'FAILED');
        await insert('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbb2', 'IN_PROGRESS');
        await expect(insert('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbb3', 'PENDING')).rejects.toThrow(/provisioning_run_one_active_per_tenant/);
      });
    } finally {
      await withDatabase(server, (client) => client.query(`DROP DATABASE ${name} WITH (FORCE)`));
    }
  });

  it('agree with the entities: MikroORM finds nothing to change in a migrated database', async () => {
    const database = await createTestDatabase();
    const orm = await openOrm(database.url, createLogger({ level: 'silent', pretty: false }));
    try {
      expect(await orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe('');
    } finally {
      await orm.close(true);
      await database.drop();
    }
  });
});
