import { describe, expect, it } from '@jest/globals';
import { createTenant } from '../support/api.js';
import { graphqlOk } from '../support/graphql.js';
import { withDatabase } from '../support/postgres-admin.js';
import { followUntilRunEnds, provisioningOf, RETRY, sandbox, START, type ProvisioningItem } from '../support/provisioning.js';
import { expectGapFree } from '../support/reliability.js';
import { serviceForSuite } from '../support/service.js';

interface PolicyItem {
  key: string;
  retryPolicy: { maxAttempts: number; budgetMs: number; firstDelayMs: number; maxDelayMs: number; retryOn: string[]; maxAttemptsOn: Array<{ code: string; attempts: number }> };
}

describe('plans: per-step retry policies, steps side by side, and steps this version does not know', () => {
  const suite = serviceForSuite();
  const clearFaults = () => sandbox.faults(suite.service.sandbox!, { latencyMs: null, failNext: null, offline: null, errorRate: null });

  it('shows each step its own retry policy, with the service settings as defaults', async () => {
    const { provisioningPlan } = await graphqlOk<{ provisioningPlan: PolicyItem[] }>(
      suite.service.graphqlUrl,
      `{ provisioningPlan { key retryPolicy { maxAttempts budgetMs firstDelayMs maxDelayMs retryOn maxAttemptsOn { code attempts } } } }`,
      {},
      suite.token,
    );
    const policy = (key: string) => provisioningPlan.find((step) => step.key === key)!.retryPolicy;
    // RETRY_BASE_MS is 5 in tests (a time scale); attempts and budgets are the shipped defaults.
    expect(policy('SETTINGS')).toEqual({
      maxAttempts: 50,
      budgetMs: 30 * 60_000,
      firstDelayMs: 5,
      maxDelayMs: 5 * 32,
      retryOn: ['ENGINE_NETWORK', 'ENGINE_TIMEOUT', 'ENGINE_RATE_LIMITED', 'ENGINE_SERVER_ERROR'],
      maxAttemptsOn: [],
    });
    expect(policy('POS_SESSION')).toMatchObject({ maxAttempts: 20 });
    expect(policy('ENGINE_CHECK')).toMatchObject({ maxAttempts: 50, maxAttemptsOn: [{ code: 'ENGINE_NETWORK', attempts: 4 }] });
    expect(policy('COMPANY')).toMatchObject({ maxDelayMs: 5 * 60 });
  });

  it('gives up POS_SESSION after its own twenty attempts while other steps keep the default, and the run ends PARTIAL', async () => {
    await clearFaults();
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token, { name: 'Twenty Tries Traders' });
    await sandbox.faults(suite.service.sandbox!, { failNext: { doctype: 'POS Opening Entry', method: 'POST', status: 503, count: 21 } });
    await graphqlOk(suite.service.graphqlUrl, START, { tenantId: tenant.id }, suite.token);
    const events = await followUntilRunEnds(suite.service.wsUrl, suite.token, tenant.id, 0);
    await clearFaults();

    expect(events.at(-1)!.type).toBe('RUN_PARTIAL');
    expect(events.filter((event) => event.step === 'POS_SESSION').map((event) => event.type)).toEqual([
      'STEP_STARTED',
      ...Array.from({ length: 19 }, () => 'STEP_RETRYING'),
      'STEP_FAILED',
    ]);
    const provisioning = await provisioningOf(suite.service.graphqlUrl, suite.token, tenant.id);
    expect(provisioning.steps.find((step) => step.key === 'POS_SESSION')).toMatchObject({ status: 'FAILED', attempts: 20, errorCode: 'ENGINE_SERVER_ERROR' });
    // FINALIZE waited for it, and ran: a non-critical failure does not stop the run.
    expect(provisioning.steps.find((step) => step.key === 'FINALIZE')).toMatchObject({ status: 'COMPLETED' });
  });

  it('runs independent steps side by side, each event naming every running step and currentStep the first', async () => {
    await clearFaults();
    const tenant = await createTenant(suite.service.graphqlUrl, suite.token, { name: 'Side By Side Stores' });
    await sandbox.faults(suite.service.sandbox!, { latencyMs: 100 });
    await graphqlOk(suite.service.graphqlUrl, START, { tenantId: tenant.id }, suite.token);
    const events = await followUntilRunEnds(suite.service.wsUrl, suite.token, tenant.id, 0);
    await clearFaults();

    expect(events.at(-1)!.type).toBe('RUN_COMPLETED');
    expectGapFree(events);
    const widest = Math.max(...events.map((event) => event.provisioning!.runningSteps.length));
    expect(widest).toBeGreaterThanOrEqual(2);
    expect(widest).toBeLessThanOrEqual(4); // MAX_PARALLEL_STEPS
    for (const { provisioning } of events) expect(provisioning!.currentStep).toBe(provisioning!.runningSteps[0] ?? provisioning!.currentStep);
    expect(events.at(-1)!.provisioning!.runningSteps).toEqual([]);
  });

  it('shows a run whose latest event an older version stored (a field missing there) from its rows, as it was', async () => {
    await clearFaults();
    const { graphqlUrl, wsUrl, database } = suite.service;
    const tenant = await createTenant(graphqlUrl, suite.token, { name: 'Older Version Stores' });
    await graphqlOk(graphqlUrl, START, { tenantId: tenant.id }, suite.token);
    const events = await followUntilRunEnds(wsUrl, suite.token, tenant.id, 0);
    const read = () =>
      graphqlOk<{ provisioning: Record<string, unknown> }>(
        graphqlUrl,
        `query ($tenantId: ID!) { provisioning(tenantId: $tenantId) { status lastEventSeq currentStep runningSteps stepsCompleted steps { key status attempts dependsOn } } }`,
        { tenantId: tenant.id },
        suite.token,
      );
    const stored = await read();
    expect(stored.provisioning).toMatchObject({ status: 'COMPLETED', lastEventSeq: events.at(-1)!.seq, runningSteps: [], stepsCompleted: 11 });
    await withDatabase(database.url, (client) =>
      client.query(`UPDATE provisioning_event SET payload = payload #- '{provisioning,runningSteps}' WHERE tenant_id = $1`, [tenant.id]),
    );
    expect(await read()).toEqual(stored);
  });

  it('fails a run that stored a step this version does not know with INVALID_STATE, and still shows it', async () => {
    await clearFaults();
    const { graphqlUrl, wsUrl, database } = suite.service;
    const tenant = await createTenant(graphqlUrl, suite.token, { name: 'Rolled Back Retail' });
    await sandbox.faults(suite.service.sandbox!, { failNext: { doctype: 'Warehouse', method: 'POST', status: 417, count: 1 } });
    await graphqlOk(graphqlUrl, START, { tenantId: tenant.id }, suite.token);
    const failed = await followUntilRunEnds(wsUrl, suite.token, tenant.id, 0);
    expect(failed.at(-1)!.type).toBe('RUN_FAILED');
    // As a newer version would have stored it: a step this one has never heard of, waited for by
    // FINALIZE, in the run's rows and in the state its events carry.
    await withDatabase(database.url, async (client) => {
      await client.query(
        `UPDATE provisioning_step SET key = CASE key WHEN 'POS_SESSION' THEN 'LOYALTY_PROGRAM' ELSE key END,
           depends_on = array_replace(depends_on, 'POS_SESSION', 'LOYALTY_PROGRAM')
         WHERE run_id = (SELECT id FROM provisioning_run WHERE tenant_id = $1)`,
        [tenant.id],
      );
      await client.query(`UPDATE provisioning_event SET payload = replace(payload::text, '"POS_SESSION"', '"LOYALTY_PROGRAM"')::jsonb WHERE tenant_id = $1`, [
        tenant.id,
      ]);
    });

    const shown = await graphqlOk<{ provisioning: ProvisioningItem & { steps: Array<{ key: string; title: string }> } }>(
      graphqlUrl,
      `query ($tenantId: ID!) { provisioning(tenantId: $tenantId) { status steps { key title status } } }`,
      { tenantId: tenant.id },
      suite.token,
    );
    expect(shown.provisioning.steps.find((step) => step.title === 'LOYALTY_PROGRAM')).toMatchObject({ key: 'UNKNOWN', status: 'PENDING' });

    await graphqlOk(graphqlUrl, RETRY, { tenantId: tenant.id }, suite.token);
    const after = await followUntilRunEnds(wsUrl, suite.token, tenant.id, failed.at(-1)!.seq);
    // Refused as a whole, before any engine call: no step started.
    expect(after.map((event) => event.type)).toEqual(['RUN_STARTED', 'STEP_FAILED', 'RUN_FAILED']);
    const stepFailed = after.find((event) => event.type === 'STEP_FAILED')!;
    expect(stepFailed.step).toBe('UNKNOWN');
    expect(stepFailed.message).toMatch(/LOYALTY_PROGRAM/);

    const final = await provisioningOf(graphqlUrl, suite.token, tenant.id);
    expect(final.status).toBe('FAILED');
    expect(final.errors).toEqual([expect.objectContaining({ step: 'UNKNOWN', code: 'INVALID_STATE', message: expect.stringMatching(/does not know \(LOYALTY_PROGRAM\)/) })]);
    expect(suite.service.logLines.filter((line) => (line.level as number) >= 50)).toEqual([]);
  });
});
