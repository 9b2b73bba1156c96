import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * The provisioning hot path speaks SQL through MikroORM's connection: every state change is a
 * handful of statements in one short transaction, and the unit of work would only add cost.
 */
export type Sql = <T = Record<string, unknown>>(query: string, params?: unknown[]) => Promise<T[]>;

export function sqlOf(em: EntityManager): Sql {
  return <T>(query: string, params: unknown[] = []) => em.execute(query, params, 'all') as Promise<T[]>;
}

/** Runs `work` in one transaction on a fork of `em`; commits when it resolves. */
export function inTransaction<T>(em: EntityManager, work: (sql: Sql, tx: EntityManager) => Promise<T>): Promise<T> {
  return em.fork().transactional((tx) => work(sqlOf(tx), tx));
}

/**
 * A list of uuids as one parameter, for `= ANY(?::uuid[])`: MikroORM expands an array parameter
 * into a list of placeholders (`$1, $2, ...`), which is a syntax error there, so the ids travel
 * as a PostgreSQL array literal (uuids need no quoting).
 */
export function uuidArray(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
}

export const ACTIVE_STATUSES_SQL = `('PENDING', 'IN_PROGRESS')`;
