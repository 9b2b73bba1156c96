import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/server/config.js';
import { sandboxAuthorization, sandboxForSuite } from '../support/engine-sandbox.js';
import { TEST_JWT_SECRET } from './tokens.js';

describe('the sandbox is never production', () => {
  it('refuses to start in production without ERPNEXT_URL: exit 1, naming the variable', async () => {
    const child = spawn(process.execPath, [path.resolve('dist/src/main.js')], {
      env: { ...process.env, NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET, ERPNEXT_URL: '', DATABASE_URL: 'postgres://127.0.0.1:1/unused', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(output).toMatch(/Configuration error: ERPNEXT_URL is required when NODE_ENV=production/);
  });

  it('starts outside production without ERPNEXT_URL (the sandbox stands in)', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).erpnext).toBeUndefined();
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET })).toThrow(ConfigError);
  });
});

describe('the sandbox knobs need its API key', () => {
  const suite = sandboxForSuite();
  const knob = (method: string, route: string, headers: Record<string, string> = {}, body?: unknown) =>
    fetch(`${suite.sandbox.url}/__sandbox/${route}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it.each([
    ['GET', 'state'],
    ['GET', 'faults'],
    ['POST', 'faults'],
    ['POST', 'reset'],
  ])('refuses %s /__sandbox/%s without credentials or with wrong ones (401, saying what to send)', async (method, route) => {
    const wrong: Array<Record<string, string>> = [{}, { authorization: `token ${suite.sandbox.apiKey}:wrong-secret` }, { authorization: 'Basic YWRtaW46YWRtaW4=' }];
    for (const headers of wrong) {
      const response = await knob(method, route, headers, method === 'POST' ? { offline: true } : undefined);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: string }).error).toMatch(/Authorization: token <ERPNEXT_API_KEY>:<ERPNEXT_API_SECRET>/);
    }
    // Nothing was switched: the site still answers.
    expect((await fetch(`${suite.sandbox.url}/api/method/ping`)).status).toBe(200);
  });

  it('serves the knobs with the key', async () => {
    const response = await knob('GET', 'state', sandboxAuthorization(suite.sandbox));
    expect(response.status).toBe(200);
    expect(Object.keys((await response.json()) as object)).toContain('Company');
  });

  it.each([
    ['an unknown knob', { bogus: 1 }, /bogus/],
    ['a rate over 1', { errorRate: 2 }, /errorRate/],
    ['a failNext without status', { failNext: { doctype: 'Company' } }, /failNext\.status/],
    ['a count that is not a whole number', { dropAfterCommit: { count: 1.5 } }, /dropAfterCommit\.count/],
    ['an array', [1, 2], /faults/],
  ])('answers a bad faults body (%s) with 400 naming the field', async (_name, body, says) => {
    const response = await knob('POST', 'faults', sandboxAuthorization(suite.sandbox), body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(says);
  });
});
