import { describe, expect, it } from '@jest/globals';
import { AppError } from '../../src/lib/errors.js';
import { LoginRateLimiter } from '../../src/tenants/auth/login-rate-limiter.js';

/** The limiter with its own clock, so a window can end without waiting for it. */
function limiter(perEmail: number, perClient: number) {
  const clock = { now: 1_000_000 };
  return { clock, limiter: new LoginRateLimiter({ windowMs: 60_000, perEmail, perClient }, () => clock.now) };
}

function codeOf(attempt: () => void): string | null {
  try {
    attempt();
    return null;
  } catch (error) {
    return error instanceof AppError ? error.code : 'NOT_AN_APP_ERROR';
  }
}

describe('login rate limiter', () => {
  it('refuses an email past its budget, case-insensitively, whichever client asks', () => {
    const { limiter: limits } = limiter(2, 100);
    expect(codeOf(() => limits.take('Owner@Shop.test', 'client-a'))).toBeNull();
    expect(codeOf(() => limits.take('owner@shop.test', 'client-b'))).toBeNull();
    expect(codeOf(() => limits.take('OWNER@shop.test', 'client-c'))).toBe('RATE_LIMITED');
    expect(codeOf(() => limits.take('other@shop.test', 'client-c'))).toBeNull();
  });

  it('refuses a client past its budget, whatever email it tries', () => {
    const { limiter: limits } = limiter(100, 3);
    for (let i = 0; i < 3; i++) expect(codeOf(() => limits.take(`guess-${i}@shop.test`, '10.0.0.7'))).toBeNull();
    expect(codeOf(() => limits.take('fresh@shop.test', '10.0.0.7'))).toBe('RATE_LIMITED');
    expect(codeOf(() => limits.take('fresh@shop.test', '10.0.0.8'))).toBeNull();
  });

  it('counts a burst before any attempt is checked, and refunds only successes', () => {
    const { limiter: limits } = limiter(3, 100);
    // Three guesses in flight at once, none finished yet: the fourth is refused already.
    for (let i = 0; i < 3; i++) limits.take('owner@shop.test', 'c');
    expect(codeOf(() => limits.take('owner@shop.test', 'c'))).toBe('RATE_LIMITED');

    const { limiter: often } = limiter(3, 100);
    for (let i = 0; i < 10; i++) {
      often.take('owner@shop.test', 'c');
      often.refund('owner@shop.test', 'c');
    }
    expect(codeOf(() => often.take('owner@shop.test', 'c'))).toBeNull();
  });

  it('says how long to wait, and lets the email in again once the window has passed', () => {
    const { clock, limiter: limits } = limiter(1, 100);
    limits.take('owner@shop.test', 'c');
    clock.now += 15_000;
    let refusal: AppError | undefined;
    try {
      limits.take('owner@shop.test', 'c');
    } catch (error) {
      refusal = error as AppError;
    }
    expect(refusal?.message).toBe('Too many sign-in attempts: wait 45 s and try again.');
    expect(refusal?.details).toEqual({ retryAfterSeconds: 45 });
    clock.now += 45_000;
    expect(codeOf(() => limits.take('owner@shop.test', 'c'))).toBeNull();
  });
});
