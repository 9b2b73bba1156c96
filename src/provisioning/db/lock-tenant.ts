import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Tenant } from '../../tenants/tenant.entity.js';

/**
 * Locks the tenant row for the caller's transaction: commands on one tenant run one at a time,
 * and the transition statement (which bumps the tenant's seq) waits for them.
 */
export function lockTenant(tx: EntityManager, tenantId: string): Promise<Tenant | null> {
  return tx.findOne(Tenant, tenantId, { lockMode: LockMode.PESSIMISTIC_WRITE, disableIdentityMap: true });
}
