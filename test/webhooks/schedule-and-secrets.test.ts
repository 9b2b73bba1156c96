import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { signedHeaders } from '../../src/webhooks/delivery/attempt.js';
import { MAX_ATTEMPTS, parseRetryAfter, RETRY_DELAYS_MS, retryDelay } from '../../src/webhooks/delivery/retry-schedule.js';
import { generateSecret, SecretBox, SecretUnreadable } from '../../src/webhooks/secrets.js';

const HOUR = 3_600_000;

describe('the retry schedule', () => {
  it('is Standard Webhooks\' (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h): 8 attempts over at least 24 hours even with the jitter', () => {
    expect(RETRY_DELAYS_MS).toEqual([5_000, 300_000, 1_800_000, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR]);
    expect(MAX_ATTEMPTS).toBe(8);
    const shortest = RETRY_DELAYS_MS.map((_, index) => retryDelay(index + 1, 1, null, () => 0)!);
    const longest = RETRY_DELAYS_MS.map((_, index) => retryDelay(index + 1, 1, null, () => 1)!);
    expect(shortest.reduce((sum, delay) => sum + delay, 0)).toBeGreaterThanOrEqual(24 * HOUR);
    expect(shortest.map((delay, index) => delay / RETRY_DELAYS_MS[index]!)).toEqual(Array(7).fill(0.9));
    expect(longest.map((delay, index) => delay / RETRY_DELAYS_MS[index]!)).toEqual(Array(7).fill(1.1));
    expect(retryDelay(MAX_ATTEMPTS, 1, null)).toBeNull();
  });

  it('honours Retry-After (seconds or an HTTP date) when longer, up to a day, and never scales it', () => {
    expect(retryDelay(1, 0.0001, 30_000, () => 0.5)).toBe(30_000);
    expect(retryDelay(4, 1, 60_000, () => 0.5)).toBe(2 * HOUR);
    expect(retryDelay(1, 1, 30 * 24 * HOUR, () => 0.5)).toBe(24 * HOUR);
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 1)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(60_000);
    expect([parseRetryAfter(undefined), parseRetryAfter('soon'), parseRetryAfter('-5')]).toEqual([null, null, null]);
  });
});

describe('endpoint secrets', () => {
  it('are whsec_ keys the standardwebhooks verifier accepts', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const id = randomUUID();
    const headers = signedHeaders(id, secret, '{"seq":1}');
    expect(new Webhook(secret).verify('{"seq":1}', headers)).toEqual({ seq: 1 });
    expect(() => new Webhook(generateSecret()).verify('{"seq":1}', headers)).toThrow();
  });

  it('are sealed at rest: opened only with the same service secret and for the same endpoint', () => {
    const secret = generateSecret();
    const endpointId = randomUUID();
    const box = new SecretBox('the-service-jwt-secret-0123456789abcdef');
    const sealed = box.seal(secret, endpointId);
    expect(sealed).not.toContain(secret.slice('whsec_'.length, 20));
    expect(box.open(sealed, endpointId)).toBe(secret);
    expect(() => box.open(sealed, randomUUID())).toThrow(SecretUnreadable);
    expect(() => new SecretBox('another-service-jwt-secret-0123456789ab').open(sealed, endpointId)).toThrow(SecretUnreadable);
  });
});
