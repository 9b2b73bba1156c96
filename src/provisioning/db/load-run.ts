import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode } from '@mikro-orm/core';
import { ProvisioningRun } from '../entities/provisioning-run.entity.js';

/** A run with its steps, for the executor that will work on it. */
export function loadRun(em: EntityManager, runId: string): Promise<ProvisioningRun | null> {
  return em.findOne(ProvisioningRun, runId, { populate: ['steps'] });
}

/**
 * The latest run of a tenant with its steps, its row locked for the caller's transaction
 * (commands). Read outside the identity map: a command writes only through the transition
 * statement, so the unit of work must have nothing to flush at commit.
 */
export function lockLatestRun(tx: EntityManager, tenantId: string): Promise<ProvisioningRun | null> {
  return tx.findOne(
    ProvisioningRun,
    { tenant: tenantId },
    { orderBy: { startedAt: 'desc', createdAt: 'desc' }, populate: ['steps'], lockMode: LockMode.PESSIMISTIC_WRITE, disableIdentityMap: true },
  );
}

/** The latest run of a tenant with its steps, or null before its first. */
export function latestRun(em: EntityManager, tenantId: string): Promise<ProvisioningRun | null> {
  return em.findOne(ProvisioningRun, { tenant: tenantId }, { orderBy: { startedAt: 'desc', createdAt: 'desc' }, populate: ['steps'] });
}
