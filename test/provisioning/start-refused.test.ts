import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createLogger } from '../../src/lib/logger.js';
import { cancelRun } from '../../src/provisioning/commands/cancel-run.js';
import { startRun } from '../../src/provisioning/commands/start-run.js';
import { loadRun } from '../../src/provisioning/db/load-run.js';
import type { ProvisioningRun } from '../../src/provisioning/entities/provisioning-run.entity.js';
import { EventType, RunStatus, StepKey, StepStatus } from '../../src/provisioning/model.js';
import { stepsOf } from '../../src/provisioning/runs.js';
import { StartRefusedError } from '../../src/provisioning/transitions/transition.js';
import { TransitionWriter } from '../../src/provisioning/transitions/transition-writer.js';
import { prepareTransition } from '../../src/provisioning/transitions/write-transition.js';
import { openOrm } from '../../src/server/database/orm.js';
import { createTestDatabase, withDatabase, type TestDatabase } from '../support/postgres-admin.js';

const OWNER = 'executor-under-test';
const ADMISSION = { owner: OWNER, leaseMs: 60_000, engineMaxActiveRuns: 20, maxActiveRunsPerProcess: 50 };

/**
 * An executor learns of a cancel only from what it commits, so the database itself must refuse
 * the step starts it writes once the run was asked to cancel: alone, or first in a transaction
 * (then written again without it), and after a write that saw the cancel.
 */
describe('a step start of a run asked to cancel', () => {
  let database: TestDatabase;
  let orm: MikroORM;
  let writer: TransitionWriter;

  beforeAll(async () => {
    database = await createTestDatabase();
    orm = await openOrm(database.url, createLogger({ level: 'silent', pretty: false }));
    writer = new TransitionWriter(orm.em, createLogger({ level: 'silent', pretty: false }));
  });

  afterAll(async () => {
    await orm?.close(true);
    await database?.drop();
  });

  /** A tenant with a run executing under OWNER's lease, as the executor holds it in memory. */
  async function executingRun(): Promise<ProvisioningRun> {
    const tenantId = randomUUID();
    await withDatabase(database.url, (client) =>
      client.query(`INSERT INTO tenant (id, name, slug, country_code, admin_email, admin_name) VALUES ($1, 'Cancel shop', $2, 'KE', $3, 'Owner')`, [
        tenantId,
        `cancel-shop-${tenantId}`,
        `owner-${tenantId}@cancel.test`,
      ]),
    );
    const { view, admitted } = await startRun(writer, orm.em, { tenantId, options: {}, actor: 'the test', admission: ADMISSION });
    expect(admitted).toBe(true);
    return (await loadRun(orm.em.fork(), view.id))!;
  }

  const start = (run: ProvisioningRun, key: StepKey) => {
    const step = stepsOf(run).find((candidate) => candidate.key === key)!;
    Object.assign(step, { status: StepStatus.RUNNING, attempts: 1, startedAt: new Date() });
    return prepareTransition({
      run,
      steps: [step],
      event: { type: EventType.STEP_STARTED, step: key, message: `${key}: started` },
      author: { leaseOwner: OWNER },
    });
  };

  const written = async (run: ProvisioningRun) =>
    withDatabase(database.url, async (client) => ({
      events: (await client.query<{ type: string; step: string | null }>(`SELECT type, step FROM provisioning_event WHERE run_id = $1 ORDER BY seq`, [run.id]))
        .rows,
      running: (await client.query<{ key: string }>(`SELECT key FROM provisioning_step WHERE run_id = $1 AND status <> 'PENDING'`, [run.id])).rows.map(
        (row) => row.key,
      ),
      seq: (await client.query<{ seq: number }>(`SELECT last_event_seq AS seq FROM tenant WHERE id = $1`, [run.tenant.id])).rows[0]!.seq,
    }));

  it('is written while no cancel was asked for, and refused alone once one was, writing nothing (not even the seq)', async () => {
    const run = await executingRun();
    const [first] = await writer.commitPrepared([start(run, StepKey.ENGINE_CHECK)]);
    expect(first).not.toBeInstanceOf(StartRefusedError);

    await cancelRun(writer, orm.em, { tenantId: run.tenant.id, actor: 'the test' });
    const [second] = await writer.commitPrepared([start(run, StepKey.ENGINE_USER)]);
    expect(second).toBeInstanceOf(StartRefusedError);
    expect(await written(run)).toEqual({
      events: [
        { type: 'RUN_STARTED', step: null },
        { type: 'STEP_STARTED', step: 'ENGINE_CHECK' },
      ],
      running: ['ENGINE_CHECK'],
      seq: 2,
    });
  });

  it('is left out of a transaction, first or after a write that saw the cancel, and the rest is written', async () => {
    const run = await executingRun();
    await cancelRun(writer, orm.em, { tenantId: run.tenant.id, actor: 'the test' });
    const refusedFirst = start(run, StepKey.ENGINE_CHECK);
    Object.assign(run, { status: RunStatus.CANCELLED, completedAt: new Date() });
    const end = prepareTransition({ run, event: { type: EventType.RUN_CANCELLED, message: 'cancelled' }, author: { leaseOwner: OWNER } });
    const outcomes = await writer.commitPrepared([refusedFirst, end, start(run, StepKey.ENGINE_USER)]);

    expect(outcomes.map((outcome) => outcome instanceof StartRefusedError)).toEqual([true, false, true]);
    expect(await written(run)).toEqual({
      events: [
        { type: 'RUN_STARTED', step: null },
        { type: 'RUN_CANCELLED', step: null },
      ],
      running: [],
      seq: 2,
    });
  });
});
