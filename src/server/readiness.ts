import type { EntityManager } from '@mikro-orm/postgresql';
import type { EngineHealth } from '../engine/port.js';
import { toError } from '../lib/errors.js';
import { SECOND } from '../lib/time.js';

export interface DependencyState {
  up: boolean;
  message: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: { database: DependencyState; listener: DependencyState; engine: DependencyState & { latencyMs?: number | null } };
}

const DATABASE_CHECK_TIMEOUT_MS = 2 * SECOND;

/** /readyz: each dependency with its state; ready only when all are up. */
export async function checkReadiness(deps: {
  em: EntityManager;
  listenerConnected: () => boolean;
  engineHealth: () => Promise<EngineHealth>;
}): Promise<ReadinessReport> {
  const [database, engine] = await Promise.all([checkDatabase(deps.em), deps.engineHealth()]);
  const listener = deps.listenerConnected()
    ? { up: true, message: 'listening for provisioning events' }
    : { up: false, message: 'the LISTEN connection to PostgreSQL is down; reconnecting' };
  const checks = { database, listener, engine: { up: engine.online, message: engine.message, latencyMs: engine.latencyMs } };
  return { ready: database.up && listener.up && engine.online, checks };
}

async function checkDatabase(em: EntityManager): Promise<DependencyState> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      em.fork().execute('SELECT 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${DATABASE_CHECK_TIMEOUT_MS} ms`)), DATABASE_CHECK_TIMEOUT_MS);
      }),
    ]);
    return { up: true, message: 'PostgreSQL answers' };
  } catch (error) {
    return { up: false, message: `PostgreSQL is unreachable: ${toError(error).message}` };
  } finally {
    clearTimeout(timer);
  }
}
