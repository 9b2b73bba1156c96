import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/server/config.js';

describe('EVENT_BUS_URL', () => {
  it('is unset by default (events by NOTIFY) and takes a Redis URL', () => {
    expect(loadConfig({}).eventBusUrl).toBeUndefined();
    expect(loadConfig({ EVENT_BUS_URL: 'redis://127.0.0.1:6379/2' }).eventBusUrl).toBe('redis://127.0.0.1:6379/2');
    expect(loadConfig({ EVENT_BUS_URL: 'rediss://bus.internal:6380' }).eventBusUrl).toBe('rediss://bus.internal:6380');
  });

  it('refuses anything else, saying what it takes', () => {
    for (const value of ['postgres://127.0.0.1/db', 'redis:/missing-slash', 'localhost:6379']) {
      expect(() => loadConfig({ EVENT_BUS_URL: value })).toThrow(
        new ConfigError('EVENT_BUS_URL must be a Redis URL such as redis://127.0.0.1:6379 (or rediss:// with TLS); leave it unset to use PostgreSQL NOTIFY.'),
      );
    }
  });
});
