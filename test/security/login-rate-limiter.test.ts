import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { AppError } from '../../src/lib/errors.js';
import { LoginRateLimiter } from '../../src/tenants/auth/login-rate-limiter.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-admin.js';

async function codeOf(attempt: Promise<void>): Promise<string | null> {
  try {
    await attempt;
    return null;
  } catch (error) {
    return error instanceof AppError ? error.code : 'NOT_AN_APP_ERROR';
  }
}

let run = 0;
/** Each test its own emails and addresses, so budgets never carry over between tests. */
const unique = (name: string) => `${name}-${++run}-${Date.now().toString(36)}`;

describe('login rate limiter (budgets kept in PostgreSQL)', () => {
  let database: TestDatabase;
  /** Two pools: two replicas of the service on one database. */
  const pools: pg.Pool[] = [];
  const replica = (perEmail: number, perClient: number, windowSeconds = 60) => {
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    pools.push(pool);
    return new LoginRateLimiter(pool, { windowMs: windowSeconds * 1000, perEmail, perClient });
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await database?.drop();
  });

  it('refuses an email past its budget, case-insensitively, whichever client asks', async () => {
    const limits = replica(2, 100);
    const email = unique('owner');
    expect(await codeOf(limits.take(`${email.toUpperCase()}@Shop.test`, unique('client')))).toBeNull();
    expect(await codeOf(limits.take(`${email}@shop.test`, unique('client')))).toBeNull();
    expect(await codeOf(limits.take(`${email}@SHOP.test`, unique('client')))).toBe('RATE_LIMITED');
    expect(await codeOf(limits.take(`${unique('other')}@shop.test`, unique('client')))).toBeNull();
  });

  it('refuses a client past its budget, whatever email it tries', async () => {
    const limits = replica(100, 3);
    const client = unique('10.0.0.7');
    for (let i = 0; i < 3; i++) expect(await codeOf(limits.take(`${unique('guess')}@shop.test`, client))).toBeNull();
    expect(await codeOf(limits.take(`${unique('fresh')}@shop.test`, client))).toBe('RATE_LIMITED');
    expect(await codeOf(limits.take(`${unique('fresh')}@shop.test`, unique('10.0.0.8')))).toBeNull();
  });

  it('counts a burst before any attempt is checked, and refunds only successes', async () => {
    const limits = replica(3, 100);
    const email = `${unique('burst')}@shop.test`;
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => codeOf(limits.take(email, 'c'))));
    expect(outcomes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(2);

    const often = `${unique('often')}@shop.test`;
    for (let i = 0; i < 10; i++) {
      await limits.take(often, 'c');
      await limits.refund(often, 'c');
    }
    expect(await codeOf(limits.take(often, 'c'))).toBeNull();
  });

  it('says how long to wait: at most the window', async () => {
    const limits = replica(1, 100, 45);
    const email = `${unique('wait')}@shop.test`;
    await limits.take(email, 'c');
    const refusal = await limits.take(email, 'c').then(
      () => null,
      (error: unknown) => error as AppError,
    );
    expect(refusal?.message).toMatch(/^Too many sign-in attempts: wait (\d+) s and try again\.$/);
    const seconds = Number(/wait (\d+) s/.exec(refusal!.message)![1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(45);
    expect(refusal?.details).toEqual({ retryAfterSeconds: seconds });
  });

  it('shares one budget between replicas: failures on one count on the other', async () => {
    const [first, second] = [replica(3, 100), replica(3, 100)];
    const email = `${unique('shared')}@shop.test`;
    await first.take(email, 'a');
    await second.take(email, 'b');
    await first.take(email, 'a');
    expect(await codeOf(second.take(email, 'b'))).toBe('RATE_LIMITED');
  });
});
