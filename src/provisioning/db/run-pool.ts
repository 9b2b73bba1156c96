import pg from 'pg';
import type { Logger } from 'pino';

/** A statement PostgreSQL parses and plans once per connection, then only executes. */
export interface PreparedSql {
  name: string;
  text: string;
}

export type PreparedQuery = <T = Record<string, unknown>>(statement: PreparedSql, params: unknown[]) => Promise<T[]>;

/**
 * The connections of run executors, apart from MikroORM's pool, which serves requests: a
 * mutation does not queue behind hundreds of runs' transitions, and the transition statement
 * can be prepared (MikroORM inlines parameters into the SQL text, so PostgreSQL would parse and
 * plan the four-CTE statement on every one of a run's 23 transitions).
 */
export class RunPool {
  private readonly pool: pg.Pool;

  constructor(url: string, log: Logger, options: { max?: number } = {}) {
    const { max = 8 } = options;
    this.pool = new pg.Pool({ connectionString: url, max });
    // An idle connection dropped by the server (restart, outage) must not crash the process.
    this.pool.on('error', (error) => log.warn({ err: error }, 'run pool connection lost; it will be replaced'));
  }

  /** Runs `work` in one transaction on one connection; commits when it resolves. */
  async transaction<T>(work: (prepared: PreparedQuery) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    // A checked-out client reports a dropped connection as an 'error' event too; unheard, that
    // event would end the process. The failing query already tells the caller.
    const markBroken = () => {
      broken = true;
    };
    client.on('error', markBroken);
    try {
      await client.query('BEGIN');
      const result = await work(async <R>(statement: PreparedSql, params: unknown[]) => {
        const { rows } = await client.query({ name: statement.name, text: statement.text, values: params });
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
      client.off('error', markBroken);
      client.release(broken);
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** `?` placeholders (the style of the rest of our SQL) as PostgreSQL's `$1, $2, ...`. */
export function prepare(name: string, sqlWithQuestionMarks: string): PreparedSql {
  let index = 0;
  return { name, text: sqlWithQuestionMarks.replace(/\?/g, () => `$${++index}`) };
}
