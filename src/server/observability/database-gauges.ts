import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SECOND } from '../../lib/time.js';
import { ProvisioningRun } from '../../provisioning/entities/provisioning-run.entity.js';
import { EXECUTING_RUN_STATUSES } from '../../provisioning/model.js';
import type { GaugeSources } from './metrics.js';

/** A scrape must not hang on a database that does not answer: the gauges are left out instead. */
const SCRAPE_QUERY_TIMEOUT_MS = 1 * SECOND;

/** Runs by status across every replica (one scan of the run table per scrape). */
export function runsByStatusOf(em: EntityManager): GaugeSources['runsByStatus'] {
  return () =>
    withTimeout(
      em
        .fork()
        .createQueryBuilder(ProvisioningRun)
        .select(['status', raw('count(*)::int as runs')])
        .groupBy('status')
        .execute<Array<{ status: string; runs: number }>>(),
    );
}

/** Active runs whose unexpired lease `owner` (this process) holds; uses the active-lease index. */
export function leasesHeldOf(em: EntityManager, owner: string): GaugeSources['leasesHeld'] {
  return () =>
    withTimeout(em.fork().count(ProvisioningRun, { status: { $in: [...EXECUTING_RUN_STATUSES] }, leaseOwner: owner, leaseExpiresAt: { $gt: raw('now()') } }));
}

/** The `pg` pool behind MikroORM's connection. */
export function poolStatsOf(em: EntityManager): GaugeSources['pool'] {
  return async () => {
    const pool = await em.getConnection().getNativeClient();
    return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 0 };
  };
}

async function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${SCRAPE_QUERY_TIMEOUT_MS} ms`)), SCRAPE_QUERY_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
