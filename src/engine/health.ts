import { isEngineError } from './errors.js';
import type { EngineHealth, ErpEngine } from './port.js';
import { SECOND } from '../lib/time.js';

export interface CachedEngineHealthOptions {
  /** How long a result is reused, in milliseconds. */
  ttlMs?: number;
  /** Wall clock in epoch milliseconds; injectable so tests control expiry. */
  now?: () => number;
}

export const DEFAULT_HEALTH_TTL_MS = 30 * SECOND;

/**
 * The engine's health, checked at most once per `ttlMs`: `startProvisioning` and `/readyz` ask
 * often, and the engine should not pay for it. Failed checks are cached too, so an engine that
 * is down is not hammered. Concurrent callers share one in-flight check. Never throws.
 */
export class CachedEngineHealth {
  private readonly ttlMs: number;
  private readonly now: () => number;
  private cached: EngineHealth | null = null;
  private inFlight: Promise<EngineHealth> | null = null;

  constructor(
    private readonly engine: ErpEngine,
    options: CachedEngineHealthOptions = {},
  ) {
    const { ttlMs = DEFAULT_HEALTH_TTL_MS, now = Date.now } = options;
    if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs < 0) {
      throw new TypeError(`Expected \`ttlMs\` to be a finite number >= 0, got ${String(ttlMs)}.`);
    }
    if (typeof now !== 'function') throw new TypeError('Expected `now` to be a function.');
    this.ttlMs = ttlMs;
    this.now = now;
  }

  /** The cached result while fresh; `force` checks again (still sharing one in flight). */
  check(options: { force?: boolean } = {}): Promise<EngineHealth> {
    if (this.inFlight) return this.inFlight;
    if (!options.force && this.cached && this.now() - this.cached.checkedAt.getTime() < this.ttlMs) {
      return Promise.resolve(this.cached);
    }
    this.inFlight = this.probe().then((health) => {
      this.cached = health;
      this.inFlight = null;
      return health;
    });
    return this.inFlight;
  }

  /**
   * The last result while still fresh, without waiting; null when there is none (a refresh is
   * then started in the background). For callers that must not wait on the engine, such as
   * startProvisioning: they refuse only on a fresh "offline".
   */
  peek(): EngineHealth | null {
    if (this.cached && this.now() - this.cached.checkedAt.getTime() < this.ttlMs) return this.cached;
    void this.check();
    return null;
  }

  /** Liveness without credentials first, so "down" and "wrong credentials" read differently. */
  private async probe(): Promise<EngineHealth> {
    const startedAt = performance.now();
    try {
      await this.engine.ping();
    } catch (error) {
      return this.result(false, null, `ERPNext does not answer: ${reasonOf(error)}`);
    }
    const latencyMs = Math.round(performance.now() - startedAt);
    try {
      const user = await this.engine.loggedUser();
      return this.result(true, latencyMs, `ERPNext answered in ${latencyMs} ms; signed in as ${user}`);
    } catch (error) {
      return this.result(false, latencyMs, `ERPNext answers, but ${credentialProblem(error)}: ${reasonOf(error)}`);
    }
  }

  private result(online: boolean, latencyMs: number | null, message: string): EngineHealth {
    return { online, latencyMs, checkedAt: new Date(this.now()), message };
  }
}

function credentialProblem(error: unknown): string {
  const refused = isEngineError(error) && (error.code === 'ENGINE_AUTH' || error.code === 'ENGINE_PERMISSION');
  return refused ? 'it refuses our API key and secret' : 'checking our API credentials failed';
}

function reasonOf(error: unknown): string {
  if (isEngineError(error)) return `${error.message} [${error.code}]`;
  return error instanceof Error ? error.message : String(error);
}
