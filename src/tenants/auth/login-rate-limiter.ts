import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../lib/errors.js';
import { MINUTE, SECOND } from '../../lib/time.js';

export interface LoginRateLimits {
  windowMs: number;
  perEmail: number;
  perClient: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginRateLimits = { windowMs: 5 * MINUTE, perEmail: 10, perClient: 50 };

/** Created by migration 0003 in rate-limiter-flexible's layout. */
const TABLE = 'login_rate_limit';

/**
 * Fixed windows of login attempts, per email and per client address, counted in PostgreSQL
 * (rate-limiter-flexible) so every replica spends from the same budget: guessing a password
 * costs the same whether the guesses land on one process or on ten.
 *
 * An attempt is counted when it starts, so a burst of parallel guesses is counted before any
 * of them is checked; a successful sign-in is refunded, so only failures use up a budget and
 * somebody who signs in often is never locked out.
 */
export class LoginRateLimiter {
  private readonly byEmail: RateLimiterPostgres;
  private readonly byClient: RateLimiterPostgres;

  constructor(pool: pg.Pool, limits: LoginRateLimits = DEFAULT_LOGIN_LIMITS) {
    const store = { storeClient: pool, storeType: 'pool', tableName: TABLE, tableCreated: true, duration: Math.ceil(limits.windowMs / SECOND) };
    this.byEmail = new RateLimiterPostgres({ ...store, keyPrefix: 'email', points: limits.perEmail });
    this.byClient = new RateLimiterPostgres({ ...store, keyPrefix: 'client', points: limits.perClient });
  }

  /** Counts an attempt; RATE_LIMITED when either budget is spent. */
  async take(email: string, client: string): Promise<void> {
    const outcomes = await Promise.allSettled([this.byEmail.consume(email.toLowerCase()), this.byClient.consume(client)]);
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') continue;
      if (!(outcome.reason instanceof RateLimiterRes)) throw outcome.reason;
      const retryAfterSeconds = Math.max(1, Math.ceil(outcome.reason.msBeforeNext / SECOND));
      throw new AppError('RATE_LIMITED', `Too many sign-in attempts: wait ${retryAfterSeconds} s and try again.`, { retryAfterSeconds });
    }
  }

  /** Gives back the attempt of a successful sign-in. */
  async refund(email: string, client: string): Promise<void> {
    await Promise.all([this.byEmail.reward(email.toLowerCase(), 1), this.byClient.reward(client, 1)]);
  }
}
