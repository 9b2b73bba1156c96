import type { EntityManager } from '@mikro-orm/postgresql';
import { EXECUTING_RUN_STATUSES, sqlList } from '../model.js';

const EXECUTING = sqlList(EXECUTING_RUN_STATUSES);

/** Told to every replica when one gives runs back: sweep now rather than at the next interval. */
export const RUNS_RELEASED_CHANNEL = 'provisioning_runs_released';

// Lease statements stay SQL: SKIP LOCKED and "every run of this owner" have no entity spelling.

/**
 * Claims active runs nobody holds (lease expired: a crash, kill -9, a lost node; or released by
 * a graceful shutdown). SKIP LOCKED lets several replicas sweep at once without waiting on, or
 * claiming, the same run.
 */
export async function claimOrphanedRuns(em: EntityManager, owner: string, leaseMs: number, limit: number): Promise<string[]> {
  const rows = await em.fork().execute<Array<{ id: string }>>(
    `UPDATE provisioning_run SET lease_owner = ?, lease_expires_at = now() + ? * interval '1 millisecond', updated_at = now()
      WHERE id IN (
        SELECT id FROM provisioning_run
         WHERE status IN ${EXECUTING} AND (lease_expires_at IS NULL OR lease_expires_at < now())
         ORDER BY lease_expires_at NULLS FIRST
         LIMIT ? FOR UPDATE SKIP LOCKED)
      RETURNING id`,
    [owner, leaseMs, limit],
  );
  return rows.map((row) => row.id);
}

/** Extends the leases `owner` holds on `runIds`; returns the runs it still holds. */
export async function renewLeases(em: EntityManager, owner: string, leaseMs: number, runIds: readonly string[]): Promise<Set<string>> {
  if (runIds.length === 0) return new Set();
  const rows = await em.fork().execute<Array<{ id: string }>>(
    `UPDATE provisioning_run SET lease_expires_at = now() + ? * interval '1 millisecond'
      WHERE lease_owner = ? AND status IN ${EXECUTING} AND id = ANY(?::uuid[]) RETURNING id`,
    [leaseMs, owner, uuidArray(runIds)],
  );
  return new Set(rows.map((row) => row.id));
}

/**
 * Gives runs back (`runIds`, or every active run `owner` holds). With `sweepNow`, every replica
 * is told to sweep at once (a shutdown); without, the runs wait for the next periodic sweep (a
 * run whose execution failed must not be retried in a tight loop).
 */
export async function releaseLeases(em: EntityManager, owner: string, options: { runIds?: readonly string[]; sweepNow: boolean }): Promise<number> {
  const { runIds, sweepNow } = options;
  if (runIds?.length === 0) return 0;
  return em.fork().transactional(async (tx) => {
    const rows = await tx.execute(
      `UPDATE provisioning_run SET lease_owner = NULL, lease_expires_at = NULL
        WHERE lease_owner = ? AND status IN ${EXECUTING}${runIds ? ' AND id = ANY(?::uuid[])' : ''} RETURNING id`,
      [owner, ...(runIds ? [uuidArray(runIds)] : [])],
    );
    if (sweepNow) await tx.execute(`SELECT pg_notify(?, ?)`, [RUNS_RELEASED_CHANNEL, owner]);
    return rows.length;
  });
}

/**
 * A list of uuids as one parameter, for `= ANY(?::uuid[])`: MikroORM expands an array parameter
 * into a list of placeholders, which is a syntax error there, so the ids travel as a PostgreSQL
 * array literal (uuids need no quoting).
 */
function uuidArray(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
}
