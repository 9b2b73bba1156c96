import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type RunningSandbox } from '../../src/engine/sandbox/index.js';
import { MAX_OPERATION_LABEL_LENGTH } from '../../src/server/observability/metrics.js';
import { graphql } from '../support/graphql.js';
import { serviceForSuite, startTestService, type TestService } from '../support/service.js';
import { TEST_JWT_SECRET } from './tokens.js';

const scrape = async (url: string, token?: string) => {
  const response = await fetch(`${url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, body: await response.text() };
};

/** The operation labels of the GraphQL latency histogram. */
const operationLabels = (metrics: string) => new Set([...metrics.matchAll(/graphql_operation_duration_seconds_count\{operation="([^"]*)"/g)].map((match) => match[1]));

describe('metrics: labels only name operations that ran', () => {
  const suite = serviceForSuite();

  it('keeps a caller-chosen operationName out of /metrics, however long and however many', async () => {
    const before = (await scrape(suite.service.url)).body.length;
    const junk = (n: number) => `Junk${n}${'x'.repeat(90_000)}`;
    for (let n = 0; n < 3; n++) {
      // An operationName the document lacks, and one with a syntax error: neither operation runs.
      await fetch(suite.service.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${suite.token}` },
        body: JSON.stringify({ query: '{ provisioningPlan { key } }', operationName: junk(n) }),
      });
      await fetch(suite.service.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ nope', operationName: junk(n + 10) }) });
    }
    const { body } = await scrape(suite.service.url);
    expect(body).not.toContain('Junk');
    expect(body.length - before).toBeLessThan(10_000);
    expect(operationLabels(body)).toContain('unresolved');
  });

  it('labels an executed operation by its name, and a name longer than the cap as "other"', async () => {
    const long = `Q${'q'.repeat(MAX_OPERATION_LABEL_LENGTH)}`;
    await graphql(suite.service.graphqlUrl, `query PlanSteps { provisioningPlan { key } }`, {}, suite.token);
    await graphql(suite.service.graphqlUrl, `query ${long} { provisioningPlan { key } }`, {}, suite.token);
    const labels = operationLabels((await scrape(suite.service.url)).body);
    expect(labels).toContain('PlanSteps');
    expect(labels).toContain('other');
    expect(labels).not.toContain(long);
  });
});

describe('metrics in production', () => {
  let sandbox: RunningSandbox;
  const services: TestService[] = [];
  const production = async (env: Record<string, string>) => {
    const service = await startTestService({
      NODE_ENV: 'production',
      JWT_SECRET: TEST_JWT_SECRET,
      ERPNEXT_URL: sandbox.url,
      ERPNEXT_API_KEY: sandbox.apiKey,
      ERPNEXT_API_SECRET: sandbox.apiSecret,
      ...env,
    });
    services.push(service);
    return service;
  };

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    for (const service of services) await service.stop();
    await sandbox?.close();
  });

  it('serves /metrics only with the bearer METRICS_TOKEN', async () => {
    const service = await production({ METRICS_TOKEN: 'scrape-token-0123456789' });
    const refused = await scrape(service.url);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatch(/METRICS_TOKEN/);
    expect((await scrape(service.url, 'a-wrong-token')).status).toBe(401);
    const served = await scrape(service.url, 'scrape-token-0123456789');
    expect(served.status).toBe(200);
    expect(served.body).toContain('provisioning_active_runs');
  });

  it('does not serve /metrics at all without a METRICS_TOKEN', async () => {
    const service = await production({});
    expect((await scrape(service.url)).status).toBe(404);
  });
});
