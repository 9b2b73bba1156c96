import { AppError } from '../../lib/errors.js';
import { MINUTE } from '../../lib/time.js';

export interface LoginRateLimits {
  windowMs: number;
  perEmail: number;
  perClient: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginRateLimits = { windowMs: 5 * MINUTE, perEmail: 10, perClient: 50 };

/**
 * Fixed windows of login attempts, per email and per client address, kept in memory: enough
 * to make guessing a password by brute force impractical against one process. Each replica
 * counts on its own, which multiplies the budget by the replica count at most.
 *
 * An attempt is counted when it starts, so a burst of parallel guesses is counted before any
 * of them is checked; a successful sign-in is refunded, so only failures use up a budget and
 * somebody who signs in often is never locked out.
 */
export class LoginRateLimiter {
  private readonly attempts = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly limits: LoginRateLimits = DEFAULT_LOGIN_LIMITS, private readonly now = Date.now) {}

  /** Counts an attempt; RATE_LIMITED when either budget is spent. */
  take(email: string, client: string): void {
    const now = this.now();
    this.sweep(now);
    const byEmail = this.count(`email:${email.toLowerCase()}`, now);
    const byClient = this.count(`client:${client}`, now);
    const blocked = byEmail.count > this.limits.perEmail ? byEmail : byClient.count > this.limits.perClient ? byClient : null;
    if (blocked) {
      const retryAfterSeconds = Math.ceil((blocked.resetAt - now) / 1000);
      throw new AppError('RATE_LIMITED', `Too many sign-in attempts: wait ${retryAfterSeconds} s and try again.`, { retryAfterSeconds });
    }
  }

  /** Gives back the attempt of a successful sign-in. */
  refund(email: string, client: string): void {
    for (const key of [`email:${email.toLowerCase()}`, `client:${client}`]) {
      const entry = this.attempts.get(key);
      if (entry && entry.count > 0) entry.count -= 1;
    }
  }

  private count(key: string, now: number) {
    let entry = this.attempts.get(key);
    if (!entry || entry.resetAt <= now) {
      entry = { count: 0, resetAt: now + this.limits.windowMs };
      this.attempts.set(key, entry);
    }
    entry.count += 1;
    return entry;
  }

  private sweep(now: number) {
    if (this.attempts.size < 10_000) return;
    for (const [key, entry] of this.attempts) if (entry.resetAt <= now) this.attempts.delete(key);
  }
}
