import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.js';
import { migrate, openOrm } from './orm.js';

export interface Database {
  orm: MikroORM;
  url: string;
  embedded: boolean;
  /** Closes the ORM, then stops the embedded server if there is one. */
  close(): Promise<void>;
}

/** DATABASE_URL when given, else the embedded PostgreSQL under `dataDir`; migrated either way. */
export async function openDatabase(options: { databaseUrl?: string; dataDir: string; log: Logger }): Promise<Database> {
  const { databaseUrl, dataDir, log } = options;
  let embedded: EmbeddedDatabase | undefined;
  const url = databaseUrl ?? (embedded = await startEmbeddedPostgres(dataDir, log)).url;
  try {
    const orm = await openOrm(url, log);
    await migrate(orm, url, log);
    return {
      orm,
      url,
      embedded: embedded !== undefined,
      async close() {
        await orm.close(true);
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
