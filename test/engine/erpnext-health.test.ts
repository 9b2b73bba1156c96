import { beforeEach, describe, expect, it } from '@jest/globals';
import { ErpNextClient, type EngineCall } from '../../src/engine/erpnext/index.js';
import { CachedEngineHealth } from '../../src/engine/health.js';
import { SECOND } from '../../src/lib/time.js';
import { credentialsOf, sandboxForSuite } from '../support/engine-sandbox.js';
import { callRecorder } from '../support/engine-fixtures.js';

const engine = sandboxForSuite();
let client: ErpNextClient;
let calls: EngineCall[];
let clock: number;
const now = (): number => clock;

beforeEach(async () => {
  clock = Date.parse('2025-02-05T10:00:00Z');
  const recorder = callRecorder();
  calls = recorder.calls;
  client = new ErpNextClient({ ...credentialsOf(engine.sandbox), onCall: recorder.onCall });
});

const pings = (): number => calls.filter((call) => call.path === '/api/method/ping').length;

describe('CachedEngineHealth', () => {
  it('reports an online engine with its latency and user', async () => {
    const health = await new CachedEngineHealth(client, { now }).check();
    expect(health).toMatchObject({ online: true, checkedAt: new Date(clock) });
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
    expect(health.message).toContain('Administrator');
  });

  it('reuses the result for ttlMs, then checks again; force checks at once', async () => {
    const health = new CachedEngineHealth(client, { ttlMs: 30 * SECOND, now });
    const first = await health.check();
    clock += 29 * SECOND;
    await expect(health.check()).resolves.toBe(first);
    expect(pings()).toBe(1);

    clock += 1 * SECOND;
    const second = await health.check();
    expect(second).not.toBe(first);
    expect(second.checkedAt).toEqual(new Date(clock));
    expect(pings()).toBe(2);

    await health.check({ force: true });
    expect(pings()).toBe(3);
  });

  it('concurrent callers share one check', async () => {
    const health = new CachedEngineHealth(client, { now });
    const results = await Promise.all([health.check(), health.check(), health.check({ force: true })]);
    expect(new Set(results).size).toBe(1);
    expect(pings()).toBe(1);
  });

  it('an offline engine is online: false with the reason, and the check does not throw', async () => {
    await engine.control.setFaults({ offline: true });
    const health = await new CachedEngineHealth(client, { now }).check();
    expect(health).toMatchObject({ online: false, latencyMs: null });
    expect(health.message).toMatch(/^ERPNext does not answer: GET \/api\/method\/ping failed: .*\[ENGINE_NETWORK\]$/);
  });

  it('wrong credentials are online: false and say so', async () => {
    const intruder = new ErpNextClient({ url: engine.sandbox.url, apiKey: engine.sandbox.apiKey, apiSecret: 'wrong' });
    const health = await new CachedEngineHealth(intruder, { now }).check();
    expect(health.online).toBe(false);
    expect(health.latencyMs).not.toBeNull();
    expect(health.message).toContain('refuses our API key and secret');
    expect(health.message).toContain('[ENGINE_AUTH]');
  });

  it('an engine a step could not reach is offline at once, and is checked again soon after (offlineTtlMs)', async () => {
    const health = new CachedEngineHealth(client, { ttlMs: 30 * SECOND, offlineTtlMs: 5 * SECOND, now });
    await health.check();
    health.markUnreachable('GET /api/method/ping failed: could not reach ERPNext');
    expect(health.peek()).toMatchObject({ online: false, message: expect.stringContaining('could not reach ERPNext') });
    expect(pings()).toBe(1);

    clock += 5 * SECOND;
    // Stale: a check starts in the background, and until it succeeds the engine stays offline.
    expect(health.peek()).toMatchObject({ online: false });
    await expect(health.check()).resolves.toMatchObject({ online: true });
    expect(health.peek()).toMatchObject({ online: true });
    expect(pings()).toBe(2);
  });

  it('validates its options up front', () => {
    expect(() => new CachedEngineHealth(client, { ttlMs: -1 })).toThrow(
      new TypeError('Expected `ttlMs` to be a finite number >= 0, got -1.'),
    );
  });
});
