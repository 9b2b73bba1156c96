import type { EntityManager } from '@mikro-orm/postgresql';
import { ACTIVE_STATUSES_SQL, sqlOf, uuidArray } from './sql.js';

export const RUNS_RELEASED_CHANNEL = 'provisioning_runs_released';

/**
 * Claims active runs nobody holds (lease expired: a crash, kill -9, a lost node; or released by
 * a graceful shutdown). SKIP LOCKED lets several replicas sweep at once without waiting on, or
 * claiming, the same run.
 */
export async function claimOrphanedRuns(em: EntityManager, owner: string, leaseMs: number, limit: number): Promise<string[]> {
  const rows = await sqlOf(em.fork())<{ id: string }>(
    `UPDATE provisioning_run SET lease_owner = ?, lease_expires_at = now() + ? * interval '1 millisecond', updated_at = now()
      WHERE id IN (
        SELECT id FROM provisioning_run
         WHERE status IN ${ACTIVE_STATUSES_SQL} AND (lease_expires_at IS NULL OR lease_expires_at < now())
         ORDER BY lease_expires_at NULLS FIRST
         LIMIT ? FOR UPDATE SKIP LOCKED)
      RETURNING id`,
    [owner, leaseMs, limit],
  );
  return rows.map((row) => row.id);
}

/** Extends every lease `owner` holds; returns the runs it still holds. */
export async function renewLeases(em: EntityManager, owner: string, leaseMs: number): Promise<Set<string>> {
  const rows = await sqlOf(em.fork())<{ id: string }>(
    `UPDATE provisioning_run SET lease_expires_at = now() + ? * interval '1 millisecond'
      WHERE lease_owner = ? AND status IN ${ACTIVE_STATUSES_SQL} RETURNING id`,
    [leaseMs, owner],
  );
  return new Set(rows.map((row) => row.id));
}

/** Gives the runs back at shutdown and tells the other replicas to sweep now, not in a while. */
export async function releaseLeases(em: EntityManager, owner: string, runIds: readonly string[]): Promise<number> {
  if (runIds.length === 0) return 0;
  return em.fork().transactional(async (tx) => {
    const sql = sqlOf(tx);
    const rows = await sql(
      `UPDATE provisioning_run SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = ? AND id = ANY(?::uuid[]) RETURNING id`,
      [owner, uuidArray(runIds)],
    );
    await sql(`SELECT pg_notify(?, ?)`, [RUNS_RELEASED_CHANNEL, owner]);
    return rows.length;
  });
}
