import type { EntityManager } from '@mikro-orm/postgresql';
import { queryAlone, statement } from './statement.js';

/**
 * Every subscription checks its tenant before it is opened: a prepared lookup instead of
 * MikroORM's `count` (550 µs a call against 200 µs, 2,000 calls one after another), which took
 * 2,000 subscriptions from 4.7 ms of the service's CPU each to 3.5-4.0 ms.
 */
const TENANT_EXISTS = statement('tenant_exists', `SELECT 1 FROM tenant WHERE id = ?::uuid`);

export async function tenantExists(em: EntityManager, tenantId: string): Promise<boolean> {
  return (await queryAlone(em, TENANT_EXISTS, [tenantId])).length > 0;
}
