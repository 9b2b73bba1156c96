import pg from 'pg';
import { processCpuMs } from '../lib/cpu.js';

async function backendPids(databaseUrl: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    return rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}

export interface CpuSplit {
  /** This process's CPU over the timed runs, in milliseconds. */
  processMs: number;
  /** The CPU of the PostgreSQL backends serving its database over them, in milliseconds. */
  databaseMs: number;
}

/**
 * Where a side's time goes, measured, not guessed: its own CPU (process.cpuUsage) and that of
 * the PostgreSQL backends connected to its database (/proc, same machine), from this call to the
 * call of the function it returns. The rest of the wall time is waiting (commit flushes,
 * wake-ups, the scheduler). Call it once the side's pool is connected (after its warm-up).
 */
export async function cpuSplit(databaseUrl: string): Promise<() => CpuSplit> {
  const pids = await backendPids(databaseUrl);
  const ownBefore = process.cpuUsage();
  const databaseBefore = pids.map(processCpuMs);
  return () => {
    const own = process.cpuUsage(ownBefore);
    const databaseMs = pids.reduce((sum, pid, i) => sum + Math.max(0, processCpuMs(pid) - databaseBefore[i]!), 0);
    return { processMs: (own.user + own.system) / 1000, databaseMs };
  };
}
