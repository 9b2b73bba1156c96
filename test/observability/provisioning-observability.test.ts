import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fullPos } from '../../src/provisioning/plan/templates/full-pos.js';
import { installTracing } from '../../src/server/observability/tracing.js';
import { loginAs, tenantInput } from '../support/api.js';
import { graphqlOk } from '../support/graphql.js';
import { followUntilRunEnds, sandbox, SKIP } from '../support/provisioning.js';
import { withDatabase } from '../support/postgres-admin.js';
import { ADMIN_PASSWORD, startTestService, type TestService } from '../support/service.js';
import { waitUntil } from '../support/poll.js';
import { scrape, valueOf } from './scrape.js';

const CREATE_AND_START = `mutation CreateAndStart($input: CreateTenantInput!) { createTenant(input: $input) { id } }`;
const STEP_KEYS = fullPos.steps.map(({ step }) => step.key);

describe('operations: metrics, traces and logs of a provisioning run', () => {
  const spans = new InMemorySpanExporter();
  let detachSpans: () => Promise<void>;
  let service: TestService;
  let token: string;

  /** The mutation as a client sends it, with its own request id so the logs can be matched. */
  async function createAndStart(requestId: string, overrides: Record<string, unknown> = {}) {
    const input = tenantInput({ autoStart: true, ...overrides });
    const response = await fetch(service.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': requestId },
      body: JSON.stringify({ query: CREATE_AND_START, operationName: 'CreateAndStart', variables: { input } }),
    });
    expect(response.headers.get('x-request-id')).toBe(requestId);
    const body = (await response.json()) as { data: { createTenant: { id: string } } };
    return { tenantId: body.data.createTenant.id, input };
  }

  beforeAll(async () => {
    detachSpans = installTracing().attachExporter(spans);
    service = await startTestService({ ENGINE_OFFLINE_RECHECK_MS: '200' });
    token = await loginAs(service.graphqlUrl);
  });
  afterAll(async () => {
    await service?.stop();
    await detachSpans?.();
  });

  it('counts the run, its eleven steps and the delivered events in /metrics, under the names the README documents', async () => {
    const { tenantId } = await createAndStart(randomUUID(), { provisioning: { includeDemoData: true } });
    const events = await followUntilRunEnds(service.wsUrl, token, tenantId, 0);
    expect(events.at(-1)!.type).toBe('RUN_COMPLETED');

    // The counter moves just after the commit that the last event reports: no event to wait for.
    const samples = await waitUntil('the completed run in /metrics', async () => {
      const scraped = await scrape(service.url);
      return valueOf(scraped, 'provisioning_runs_finished_total', { status: 'COMPLETED' }) === 1 && scraped;
    });
    for (const step of STEP_KEYS) {
      expect({ step, count: valueOf(samples, 'provisioning_step_duration_seconds_count', { step, outcome: 'completed' }) }).toEqual({ step, count: 1 });
      expect({ step, attempts: valueOf(samples, 'provisioning_step_attempts_sum', { step, outcome: 'completed' }) }).toEqual({ step, attempts: 1 });
    }
    expect(valueOf(samples, 'graphql_subscription_events_delivered_total', { subscription: 'provisioningEvents' })).toBe(events.length);
    expect(valueOf(samples, 'graphql_operation_duration_seconds_count', { operation: 'CreateAndStart', type: 'mutation', outcome: 'ok' })).toBe(1);
    expect(valueOf(samples, 'provisioning_runs', { status: 'COMPLETED' })).toBe(1);
    expect(valueOf(samples, 'provisioning_active_runs')).toBe(0);
    expect(valueOf(samples, 'engine_call_duration_seconds_count', { method: 'POST', doctype: 'Company', status: '200' })).toBe(1);
    expect(valueOf(samples, 'db_pool_max_connections')).toBeGreaterThan(0);
    expect(valueOf(samples, 'nodejs_eventloop_lag_p99_seconds')).toBeDefined();

    const readme = await readFile('README.md', 'utf8');
    const operations = readme.slice(readme.indexOf('## Operations'));
    const asserted = [
      'provisioning_runs_finished_total', 'provisioning_step_duration_seconds', 'provisioning_step_attempts', 'provisioning_runs',
      'provisioning_active_runs', 'graphql_subscription_events_delivered_total', 'graphql_operation_duration_seconds',
      'engine_call_duration_seconds', 'db_pool_max_connections', 'nodejs_eventloop_lag_p99_seconds',
    ];
    for (const name of asserted) expect({ name, documented: operations.includes(`\`${name}\``) }).toEqual({ name, documented: true });
  });

  it('follows one trace from the mutation through the run and every step to the engine calls', async () => {
    spans.reset();
    const { tenantId } = await createAndStart(randomUUID(), { provisioning: { includeDemoData: true } });
    const events = await followUntilRunEnds(service.wsUrl, token, tenantId, 0);
    expect(events.at(-1)!.type).toBe('RUN_COMPLETED');
    const runId = events.at(-1)!.runId;

    // The run's span ends just after its last commit: exported then, with no event to wait for.
    const finished = await waitUntil('the run span', async () => {
      const all = spans.getFinishedSpans();
      return all.some((span) => span.attributes['provisioning.run.id'] === runId) && all;
    });
    const mutation = finished.find((span) => span.name === 'mutation CreateAndStart' && span.kind === SpanKind.SERVER)!;
    expect(mutation).toBeDefined();
    const trace = finished.filter((span) => span.spanContext().traceId === mutation.spanContext().traceId);
    const childrenOf = (parent: ReadableSpan) => trace.filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId);

    const run = childrenOf(mutation).find((span) => span.name === 'provisioning run')!;
    expect(run.attributes).toMatchObject({ 'provisioning.run.id': runId, 'tenant.id': tenantId, 'provisioning.run.status': 'COMPLETED' });
    const steps = childrenOf(run);
    // One span per step (steps run side by side, so spans end in no fixed order).
    expect(steps.map((span) => span.attributes['provisioning.step']).sort()).toEqual([...STEP_KEYS].sort());
    for (const step of steps) {
      const engineCalls = childrenOf(step).filter((span) => span.name.startsWith('engine '));
      const httpCalls = engineCalls.flatMap(childrenOf).filter((span) => span.kind === SpanKind.CLIENT);
      // FINALIZE only checks what earlier steps recorded; every other step talks to the engine.
      const talksToEngine = step.attributes['provisioning.step'] !== 'FINALIZE';
      expect({ step: step.name, engineCalls: engineCalls.length > 0, httpCalls: httpCalls.length > 0 }).toEqual({
        step: step.name,
        engineCalls: talksToEngine,
        httpCalls: talksToEngine,
      });
    }
    const companyInsert = childrenOf(steps.find((span) => span.attributes['provisioning.step'] === 'COMPANY')!)
      .flatMap(childrenOf)
      .find((span) => span.name === 'POST Company');
    expect(companyInsert?.attributes).toMatchObject({ 'http.request.method': 'POST', 'erp.doctype': 'Company', 'http.response.status_code': 200 });
  });

  it('logs the failing step with its attempt, error class and the request id, and no secret', async () => {
    const requestId = `failing-run-${randomUUID()}`;
    // An engine that cannot be reached: ENGINE_CHECK gives a refused connection 4 attempts, then fails.
    await sandbox.faults(service.sandbox!, { offline: true });
    const { tenantId, input } = await createAndStart(requestId);
    const events = await followUntilRunEnds(service.wsUrl, token, tenantId, 0);
    expect(events.at(-1)!.type).toBe('RUN_FAILED');
    // The failure marked the engine offline; the next test starts runs once a check finds it again.
    await sandbox.faults(service.sandbox!, { offline: null });
    await waitUntil('the engine to be online again', async () =>
      (await graphqlOk<{ engineHealth: { online: boolean } }>(service.graphqlUrl, '{ engineHealth { online } }', {}, token)).engineHealth.online,
    );

    const ofRun = service.logLines.filter((line) => line.tenantId === tenantId);
    const failure = ofRun.find((line) => line.event === 'STEP_FAILED');
    expect(failure).toMatchObject({ step: 'ENGINE_CHECK', attempt: 4, errorClass: 'transient', errorCode: 'ENGINE_NETWORK', requestId, level: 40 });
    const retries = ofRun.filter((line) => line.event === 'STEP_RETRYING');
    expect(retries.map((line) => [line.step, line.attempt, line.errorClass, line.requestId])).toEqual([
      ['ENGINE_CHECK', 1, 'transient', requestId],
      ['ENGINE_CHECK', 2, 'transient', requestId],
      ['ENGINE_CHECK', 3, 'transient', requestId],
    ]);
    expect(service.logLines.find((line) => line.msg === 'graphql request' && line.requestId === requestId)).toMatchObject({
      operation: 'CreateAndStart',
      callerId: expect.any(String),
      durationMs: expect.any(Number),
      status: 200,
      errorCode: null,
    });

    const samples = await scrape(service.url);
    expect(valueOf(samples, 'provisioning_step_retries_total', { step: 'ENGINE_CHECK', error_code: 'ENGINE_NETWORK' })).toBe(3);
    expect(valueOf(samples, 'engine_call_errors_total', { doctype: 'none', status: 'none', code: 'ENGINE_NETWORK' })).toBe(4);

    const hashes = await withDatabase(service.database.url, (client) => client.query<{ password_hash: string }>('SELECT password_hash FROM app_user'));
    const everything = JSON.stringify(service.logLines);
    const secrets = [ADMIN_PASSWORD, input.adminPassword as string, token, service.sandbox!.apiSecret, ...hashes.rows.map((row) => row.password_hash)];
    for (const secret of secrets) expect(everything.includes(secret)).toBe(false);
  });

  it('counts and logs a run completed by skipStep like one completed by its executor', async () => {
    const before = valueOf(await scrape(service.url), 'provisioning_runs_finished_total', { status: 'COMPLETED' }) ?? 0;
    // The open POS session is NON_CRITICAL: its refusal leaves the run PARTIAL, skipping it completes the run.
    await sandbox.faults(service.sandbox!, { failNext: { doctype: 'POS Opening Entry', method: 'POST', status: 417, count: 1 } });
    const { tenantId } = await createAndStart(randomUUID());
    expect((await followUntilRunEnds(service.wsUrl, token, tenantId, 0)).at(-1)!.type).toBe('RUN_PARTIAL');

    const requestId = `skip-${randomUUID()}`;
    const response = await fetch(service.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': requestId },
      body: JSON.stringify({ query: SKIP, variables: { tenantId, step: 'POS_SESSION', reason: 'no till yet' } }),
    });
    expect(((await response.json()) as { data: { skipStep: { status: string } } }).data.skipStep.status).toBe('COMPLETED');

    const samples = await scrape(service.url);
    expect(valueOf(samples, 'provisioning_runs_finished_total', { status: 'COMPLETED' })).toBe(before + 1);
    const ofRun = service.logLines.filter((line) => line.tenantId === tenantId && line.requestId === requestId);
    expect(ofRun.map((line) => [line.event, line.step ?? null, line.runStatus])).toEqual([
      ['STEP_SKIPPED', 'POS_SESSION', 'PARTIAL'],
      ['RUN_COMPLETED', null, 'COMPLETED'],
    ]);
    expect(ofRun.map((line) => line.seq)).toEqual((await graphqlOk<{ provisioningLogs: Array<{ seq: number }> }>(
      service.graphqlUrl,
      `query ($id: ID!) { provisioningLogs(tenantId: $id, first: 1000) { seq } }`,
      { id: tenantId },
      token,
    )).provisioningLogs.slice(-2).map((event) => event.seq));
  });
});
