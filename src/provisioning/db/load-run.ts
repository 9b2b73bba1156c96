import type { Resources } from '../plan/step-definition.js';
import type { ProvisioningType, RunConfig, RunStatus, StepKey, StepStatus } from '../model.js';
import type { RunState } from '../run-state.js';
import type { Sql } from './sql.js';

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
  steps: StepRow[] | null;
}

/** A step as json_agg returns it: timestamps arrive as strings. */
interface StepRow {
  key: StepKey;
  index: number;
  status: StepStatus;
  attempts: number;
  started_at: string | null;
  completed_at: string | null;
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

const RUN_COLUMNS = `r.id, r.tenant_id, r.type, r.config, r.status, r.current_step, r.resources, r.started_at, r.completed_at, r.cancel_requested, r.lease_owner`;

/** The run's steps as one JSON array, so a run and its steps come back in one round trip. */
const STEPS_COLUMN = `(SELECT json_agg(json_build_object(
    'key', s.key, 'index', s.index, 'status', s.status, 'attempts', s.attempts, 'started_at', s.started_at,
    'completed_at', s.completed_at, 'duration_ms', s.duration_ms, 'message', s.message, 'error', s.error,
    'error_code', s.error_code, 'skipped_by', s.skipped_by, 'skip_reason', s.skip_reason, 'output', s.output) ORDER BY s.index)
  FROM provisioning_step s WHERE s.run_id = r.id) AS steps`;

/** The latest run of a tenant; `forUpdate` locks its row for the caller's transaction. */
export async function loadLatestRun(sql: Sql, tenantId: string, options: { forUpdate?: boolean } = {}): Promise<LoadedRun | null> {
  const [row] = await sql<RunRow>(
    `SELECT ${RUN_COLUMNS}, ${STEPS_COLUMN} FROM provisioning_run r WHERE r.tenant_id = ?
      ORDER BY r.started_at DESC, r.created_at DESC LIMIT 1${options.forUpdate ? ' FOR UPDATE OF r' : ''}`,
    [tenantId],
  );
  return row ? toLoadedRun(row) : null;
}

export async function loadRun(sql: Sql, runId: string): Promise<LoadedRun | null> {
  const [row] = await sql<RunRow>(`SELECT ${RUN_COLUMNS}, ${STEPS_COLUMN} FROM provisioning_run r WHERE r.id = ?`, [runId]);
  return row ? toLoadedRun(row) : null;
}

/**
 * What `provisioning(tenantId)` shows, in one round trip: the tenant's last seq and its latest
 * run with its steps. `undefined` when the tenant does not exist, null before its first run.
 */
export async function loadLatestView(sql: Sql, tenantId: string): Promise<{ lastEventSeq: number; run: LoadedRun | null } | undefined> {
  const [row] = await sql<Partial<RunRow> & { last_event_seq: number }>(
    `SELECT t.last_event_seq, latest.* FROM tenant t
       LEFT JOIN LATERAL (
         SELECT ${RUN_COLUMNS}, ${STEPS_COLUMN} FROM provisioning_run r WHERE r.tenant_id = t.id
          ORDER BY r.started_at DESC, r.created_at DESC LIMIT 1) latest ON true
      WHERE t.id = ?`,
    [tenantId],
  );
  if (!row) return undefined;
  return { lastEventSeq: row.last_event_seq, run: row.id ? toLoadedRun(row as RunRow) : null };
}

function toLoadedRun(run: RunRow): LoadedRun {
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
      steps: (run.steps ?? []).map((step) => ({
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
