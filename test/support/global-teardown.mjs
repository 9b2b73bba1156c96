import { rmSync } from 'node:fs';
import { withClient } from './global-setup.mjs';

/** Drops this run's databases (on a shared server) or stops and removes its embedded cluster. */
export default async function globalTeardown() {
  const embedded = globalThis.__embeddedPostgres;
  if (embedded) {
    await embedded.stop();
    rmSync(embedded.dataDir, { recursive: true, force: true });
    return;
  }
  const { adminUrl, runId } = globalThis.__testDatabases;
  await withClient(adminUrl, async (client) => {
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`test\\_${runId}\\_%`]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}
