import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';

/** A statement in two spellings: `?` placeholders for MikroORM, `$n` for a prepared `pg` query. */
export interface Statement {
  /** Name of the prepared statement (PostgreSQL parses and plans it once per connection). */
  name: string;
  questionMarks: string;
  numbered: string;
}

export function statement(name: string, sql: string): Statement {
  let index = 0;
  return { name, questionMarks: sql, numbered: sql.replace(/\?/g, () => `$${++index}`) };
}

/** Runs one statement and returns its rows. */
export type StatementRunner = <T>(statement: Statement, params: unknown[]) => Promise<T[]>;

/** One statement, prepared, on a connection of MikroORM's pool, as a transaction of its own (no BEGIN/COMMIT round trips). */
export const alone =
  (pool: pg.Pool): StatementRunner =>
  async <R>(sql: Statement, params: unknown[]) =>
    (await pool.query({ name: sql.name, text: sql.numbered, values: params })).rows as R[];

/** `alone` on the pool of `em`'s connection: a read that needs no transaction and no entity. */
export async function queryAlone<R>(em: EntityManager, sql: Statement, params: unknown[]): Promise<R[]> {
  return alone(await em.getConnection().getNativeClient())<R>(sql, params);
}

/** Several statements in one transaction of their own, prepared, on a connection of MikroORM's pool. */
export async function inOwnTransaction<T>(pool: pg.Pool, work: (run: StatementRunner) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(async <R>(sql: Statement, params: unknown[]) => {
      const { rows } = await client.query({ name: sql.name, text: sql.numbered, values: params });
      return rows as R[];
    });
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Inside the caller's MikroORM transaction (which inlines parameters: not prepared). */
export function within(em: EntityManager): StatementRunner {
  return <T>(sql: Statement, params: unknown[]) => em.execute(sql.questionMarks, params, 'all') as Promise<T[]>;
}
