import type { RunState, StepState } from '../run-state.js';
import type { Sql } from './sql.js';

export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(runId: string) {
    super(`Run ${runId} is no longer leased to this process: another one has taken it over.`);
  }
}

/**
 * Writes the run row from `state`, but only while `owner` holds the lease (null: a command on
 * a run nobody executes). Returns whether cancellation was requested meanwhile, read in the
 * same statement, so the executor learns of a cancel at its next transition.
 */
export async function saveRun(sql: Sql, state: RunState, owner: string | null): Promise<{ cancelRequested: boolean }> {
  const rows = await sql<{ cancel_requested: boolean }>(
    `UPDATE provisioning_run
        SET status = ?, current_step = ?, resources = ?::jsonb, completed_at = ?, updated_at = now()
      WHERE id = ? AND lease_owner IS NOT DISTINCT FROM ?
      RETURNING cancel_requested`,
    [state.status, state.currentStep, JSON.stringify(state.resources), state.completedAt, state.id, owner],
  );
  if (rows.length === 0) throw new LeaseLostError(state.id);
  return { cancelRequested: rows[0]!.cancel_requested };
}

export async function saveStep(sql: Sql, runId: string, step: StepState): Promise<void> {
  await sql(
    `UPDATE provisioning_step
        SET status = ?, attempts = ?, started_at = ?, completed_at = ?, duration_ms = ?, message = ?, error = ?,
            error_code = ?, skipped_by = ?, skip_reason = ?, output = ?::jsonb
      WHERE run_id = ? AND key = ?`,
    [
      step.status,
      step.attempts,
      step.startedAt,
      step.completedAt,
      step.durationMs,
      step.message,
      step.error,
      step.errorCode,
      step.skippedBy,
      step.skipReason,
      step.output === null ? null : JSON.stringify(step.output),
      runId,
      step.key,
    ],
  );
}
