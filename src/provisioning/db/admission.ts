import type { EntityManager } from '@mikro-orm/postgresql';
import { EXECUTING_RUN_STATUSES, RunStatus, sqlList } from '../model.js';

/**
 * Decisions to let a run execute are taken one at a time, across every replica, under this
 * transaction-scoped advisory lock: the count of executing runs read under it stays true
 * until the decision commits. Any 64-bit number unique to this service.
 */
const ADMISSION_LOCK_KEY = 7_351_902_115;

const EXECUTING = sqlList(EXECUTING_RUN_STATUSES);

/** Waits for the admission lock (the admission loop). */
export async function lockAdmission(tx: EntityManager): Promise<void> {
  await tx.execute(`SELECT pg_advisory_xact_lock(?)`, [ADMISSION_LOCK_KEY]);
}

/** Takes the admission lock if it is free (a mutation: it queues its run rather than wait). */
export async function tryLockAdmission(tx: EntityManager): Promise<boolean> {
  const [row] = await tx.execute<Array<{ locked: boolean }>>(`SELECT pg_try_advisory_xact_lock(?) AS locked`, [ADMISSION_LOCK_KEY]);
  return row!.locked;
}

/** Runs executing now: across all replicas, and those whose lease `owner` holds. */
export async function executingRuns(tx: EntityManager, owner: string): Promise<{ everywhere: number; here: number }> {
  const [row] = await tx.execute<Array<{ everywhere: number; here: number }>>(
    `SELECT count(*)::int AS everywhere, count(*) FILTER (WHERE lease_owner = ?)::int AS here FROM provisioning_run WHERE status IN ${EXECUTING}`,
    [owner],
  );
  return row!;
}

/** Whether a queued run other than `runId` would go before one of `priority` (then that one must queue too). */
export async function queuedAtOrAbove(tx: EntityManager, priority: number, runId: string): Promise<boolean> {
  const rows = await tx.execute(`SELECT 1 FROM provisioning_run WHERE status = ? AND priority >= ? AND id <> ? LIMIT 1`, [RunStatus.QUEUED, priority, runId]);
  return rows.length > 0;
}

export interface WaitingRun {
  id: string;
  tenantId: string;
}

/** Whether anything waits in the queue (read without the lock: cheap, and worth the lock only when true). */
export async function anyQueued(em: EntityManager): Promise<boolean> {
  const rows = await em.execute(`SELECT 1 FROM provisioning_run WHERE status = ? LIMIT 1`, [RunStatus.QUEUED]);
  return rows.length > 0;
}

/** The head of the queue: highest priority first, then first come. */
export async function queueHead(tx: EntityManager, limit: number): Promise<WaitingRun[]> {
  return tx.execute<WaitingRun[]>(
    `SELECT id, tenant_id AS "tenantId" FROM provisioning_run WHERE status = ? ORDER BY priority DESC, queued_at, id LIMIT ?`,
    [RunStatus.QUEUED, limit],
  );
}

/** Scheduled runs whose time has come. */
export async function dueScheduledRuns(em: EntityManager, limit: number): Promise<WaitingRun[]> {
  return em.execute<WaitingRun[]>(
    `SELECT id, tenant_id AS "tenantId" FROM provisioning_run WHERE status = ? AND run_at <= now() ORDER BY run_at, id LIMIT ?`,
    [RunStatus.SCHEDULED, limit],
  );
}

/** 1 for the head of the queue; null when the run is not queued. */
export async function queuePosition(em: EntityManager, runId: string): Promise<number | null> {
  const [row] = await em.execute<Array<{ position: number }>>(
    `SELECT count(q.id)::int + 1 AS position
       FROM provisioning_run me
       LEFT JOIN provisioning_run q ON q.status = me.status
        AND (q.priority > me.priority OR (q.priority = me.priority AND (q.queued_at, q.id) < (me.queued_at, me.id)))
      WHERE me.id = ? AND me.status = ?
      GROUP BY me.id`,
    [runId, RunStatus.QUEUED],
  );
  return row?.position ?? null;
}
