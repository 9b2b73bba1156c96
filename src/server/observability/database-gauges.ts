import type { EntityManager } from '@mikro-orm/postgresql';
import { SECOND } from '../../lib/time.js';
import { ACTIVE_STATUSES_SQL } from '../../provisioning/db/sql.js';
import type { GaugeSources } from './metrics.js';

/** A scrape must not hang on a database that does not answer: the gauges are left out instead. */
const SCRAPE_QUERY_TIMEOUT_MS = 1 * SECOND;

/** Runs by status across every replica (one scan of the run table per scrape). */
export function runsByStatusOf(em: EntityManager): GaugeSources['runsByStatus'] {
  return () =>
    withTimeout(em.fork().execute<Array<{ status: string; runs: number }>>(`SELECT status, count(*)::int AS runs FROM provisioning_run GROUP BY status`));
}

/** Active runs whose unexpired lease `owner` (this process) holds; uses the active-lease index. */
export function leasesHeldOf(em: EntityManager, owner: string): GaugeSources['leasesHeld'] {
  return async () => {
    const [row] = await withTimeout(
      em.fork().execute<Array<{ held: number }>>(
        `SELECT count(*)::int AS held FROM provisioning_run
          WHERE status IN ${ACTIVE_STATUSES_SQL} AND lease_owner = ? AND lease_expires_at > now()`,
        [owner],
      ),
    );
    return row?.held ?? 0;
  };
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
