import { isEngineError } from './errors.js';
import type { EngineHealth, ErpEngine } from './port.js';
import { SECOND } from '../lib/time.js';

export interface CachedEngineHealthOptions {
  /** How long an "online" result is reused, in milliseconds. */
  ttlMs?: number;
  /** How long an "offline" result is reused: short, so a recovery is noticed soon. */
  offlineTtlMs?: number;
  /** Wall clock in epoch milliseconds; injectable so tests control expiry. */
  now?: () => number;
}

export const DEFAULT_HEALTH_TTL_MS = 30 * SECOND;
export const DEFAULT_OFFLINE_TTL_MS = 5 * SECOND;

/**
 * The engine's health, checked at most once per `ttlMs`: `startProvisioning` and `/readyz` ask
 * often, and the engine should not pay for it. Failed checks are cached too (for the shorter
 * `offlineTtlMs`), so an engine that is down is not hammered, and a run that could not reach it
 * says so at once (`markUnreachable`). Concurrent callers share one in-flight check. Never throws.
 */
export class CachedEngineHealth {
  private readonly ttlMs: number;
  private readonly offlineTtlMs: number;
  private readonly now: () => number;
  private cached: EngineHealth | null = null;
  private inFlight: Promise<EngineHealth> | null = null;

  constructor(
    private readonly engine: ErpEngine,
    options: CachedEngineHealthOptions = {},
  ) {
    const { ttlMs = DEFAULT_HEALTH_TTL_MS, offlineTtlMs = Math.min(ttlMs, DEFAULT_OFFLINE_TTL_MS), now = Date.now } = options;
    for (const [name, value] of Object.entries({ ttlMs, offlineTtlMs })) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new TypeError(`Expected \`${name}\` to be a finite number >= 0, got ${String(value)}.`);
      }
    }
    if (typeof now !== 'function') throw new TypeError('Expected `now` to be a function.');
    this.ttlMs = ttlMs;
    this.offlineTtlMs = offlineTtlMs;
    this.now = now;
  }

  /** The cached result while fresh; `force` checks again (still sharing one in flight). */
  check(options: { force?: boolean } = {}): Promise<EngineHealth> {
    if (this.inFlight) return this.inFlight;
    if (!options.force && this.fresh()) return Promise.resolve(this.cached!);
    this.inFlight = this.probe().then((health) => {
      this.cached = health;
      this.inFlight = null;
      return health;
    });
    return this.inFlight;
  }

  /**
   * Without waiting: the last result while it is fresh; an "offline" result until a check
   * finds the engine again; null when nothing is known. A stale result starts a check in the
   * background. For callers that must not wait on the engine, such as startProvisioning.
   */
  peek(): EngineHealth | null {
    if (this.fresh()) return this.cached;
    void this.check();
    return this.cached?.online === false ? this.cached : null;
  }

  /** A request just failed to reach the engine: it is offline until a check says otherwise. */
  markUnreachable(reason: string): void {
    this.cached = this.result(false, null, `ERPNext could not be reached by a provisioning step: ${reason}`);
  }

  private fresh(): boolean {
    if (!this.cached) return false;
    const ttl = this.cached.online ? this.ttlMs : this.offlineTtlMs;
    return this.now() - this.cached.checkedAt.getTime() < ttl;
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
