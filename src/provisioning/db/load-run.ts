import type { EntityManager } from '@mikro-orm/postgresql';
import type { Resources } from '../plan/step-definition.js';
import type { ProvisioningType, RunConfig, RunStatus, StepKey, StepStatus } from '../model.js';
import type { RunState } from '../run-state.js';
import { sqlOf, uuidArray, type Sql } from './sql.js';

interface RunRow {
  id: string;
  tenant_id: string;
  type: ProvisioningType;
  config: RunConfig;
  status: RunStatus;
  current_step: StepKey | null;
  resources: Resources;
  started_at: Date;
  completed_at: Date | null;
  cancel_requested: boolean;
  lease_owner: string | null;
}

interface StepRow {
  key: StepKey;
  index: number;
  status: StepStatus;
  attempts: number;
  started_at: Date | null;
  completed_at: Date | null;
  duration_ms: number | null;
  message: string | null;
  error: string | null;
  error_code: string | null;
  skipped_by: string | null;
  skip_reason: string | null;
  output: Record<string, unknown> | null;
}

export interface LoadedRun {
  state: RunState;
  cancelRequested: boolean;
  leaseOwner: string | null;
}

const RUN_COLUMNS = `id, tenant_id, type, config, status, current_step, resources, started_at, completed_at, cancel_requested, lease_owner`;

/** The latest run of a tenant; `forUpdate` locks its row for the caller's transaction. */
export async function loadLatestRun(sql: Sql, tenantId: string, options: { forUpdate?: boolean } = {}): Promise<LoadedRun | null> {
  const [run] = await sql<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM provisioning_run WHERE tenant_id = ? ORDER BY started_at DESC, created_at DESC LIMIT 1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [tenantId],
  );
  return run ? withSteps(sql, run) : null;
}

export async function loadRun(sql: Sql, runId: string): Promise<LoadedRun | null> {
  const [run] = await sql<RunRow>(`SELECT ${RUN_COLUMNS} FROM provisioning_run WHERE id = ?`, [runId]);
  return run ? withSteps(sql, run) : null;
}

/** Latest runs of several tenants at once (for `Tenant.provisioning` in a list). */
export async function loadLatestRuns(em: EntityManager, tenantIds: readonly string[]): Promise<Map<string, LoadedRun>> {
  const sql = sqlOf(em);
  const runs = await sql<RunRow>(
    `SELECT DISTINCT ON (tenant_id) ${RUN_COLUMNS} FROM provisioning_run WHERE tenant_id = ANY(?::uuid[])
      ORDER BY tenant_id, started_at DESC, created_at DESC`,
    [uuidArray(tenantIds)],
  );
  const loaded = await Promise.all(runs.map((run) => withSteps(sql, run)));
  return new Map(loaded.map((run) => [run.state.tenantId, run]));
}

async function withSteps(sql: Sql, run: RunRow): Promise<LoadedRun> {
  const steps = await sql<StepRow>(
    `SELECT key, index, status, attempts, started_at, completed_at, duration_ms, message, error, error_code, skipped_by, skip_reason, output
       FROM provisioning_step WHERE run_id = ? ORDER BY index`,
    [run.id],
  );
  return {
    cancelRequested: run.cancel_requested,
    leaseOwner: run.lease_owner,
    state: {
      id: run.id,
      tenantId: run.tenant_id,
      type: run.type,
      config: run.config,
      status: run.status,
      currentStep: run.current_step,
      resources: run.resources ?? {},
      startedAt: iso(run.started_at)!,
      completedAt: iso(run.completed_at),
      steps: steps.map((step) => ({
        key: step.key,
        index: step.index,
        status: step.status,
        attempts: step.attempts,
        startedAt: iso(step.started_at),
        completedAt: iso(step.completed_at),
        durationMs: step.duration_ms,
        message: step.message,
        error: step.error,
        errorCode: step.error_code,
        skippedBy: step.skipped_by,
        skipReason: step.skip_reason,
        output: step.output,
      })),
    },
  };
}

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}
