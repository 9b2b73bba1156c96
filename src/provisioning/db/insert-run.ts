import { randomUUID } from 'node:crypto';
import type { RunState } from '../run-state.js';
import type { Sql } from './sql.js';

/** Inserts a new run, leased to `owner`, and its eleven PENDING steps. */
export async function insertRun(sql: Sql, state: RunState, lease: { owner: string; ms: number }, startedBy: string): Promise<void> {
  await sql(
    `INSERT INTO provisioning_run (id, tenant_id, type, config, status, current_step, resources, lease_owner, lease_expires_at, started_by, started_at)
     VALUES (?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?, now() + ? * interval '1 millisecond', ?, ?)`,
    [
      state.id,
      state.tenantId,
      state.type,
      JSON.stringify(state.config),
      state.status,
      state.currentStep,
      JSON.stringify(state.resources),
      lease.owner,
      lease.ms,
      startedBy,
      state.startedAt,
    ],
  );
  const values = state.steps.map(() => '(?, ?, ?, ?, ?)').join(', ');
  await sql(
    `INSERT INTO provisioning_step (id, run_id, key, index, status) VALUES ${values}`,
    state.steps.flatMap((step) => [randomUUID(), state.id, step.key, step.index, step.status]),
  );
}
