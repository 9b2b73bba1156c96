import type { TenantProvisioningStatus } from '../../tenants/tenant.entity.js';
import type { EventType, StepKey } from '../model.js';
import type { ProvisioningView, RunState, StepState } from '../run-state.js';
import { EVENTS_CHANNEL, MAX_NOTIFY_BYTES, type EventRecord } from './append-event.js';
import { LeaseLostError } from './save-state.js';
import { prepare, type PreparedQuery } from './run-pool.js';

export interface TransitionRecord {
  state: RunState;
  /** The view of `state`; its `lastEventSeq` is set here, once the seq is known. */
  view: ProvisioningView;
  owner: string | null;
  step?: StepState;
  event: { type: EventType; step: StepKey | null; message: string };
  tenant?: { status: TenantProvisioningStatus; error: string | null };
}

/**
 * A transition in ONE statement (the executor's hot path: 23 of them per run), instead of one
 * round trip per row. Data-modifying CTEs, in this order of dependency:
 *   seq   bumps the tenant's seq (and its status when the run ends): takes the tenant lock first,
 *         the order every command uses, so commands and executors cannot deadlock;
 *   run   saves the run, only while `owner` holds the lease (reads seq, so it runs after it);
 *   step  saves the step, only if the run was saved;
 *   event appends the event with the seq, and the view with that seq inside it;
 * and the final SELECT sends the NOTIFY (delivered only if the transaction commits). No row
 * back means the lease is lost: the caller's transaction is rolled back, seq included.
 */
const TRANSITION = prepare(
  'provisioning_transition',
  `
WITH seq AS (
  UPDATE tenant SET last_event_seq = last_event_seq + 1, updated_at = now(),
         provisioning_status = CASE WHEN ?::boolean THEN ?::text ELSE provisioning_status END,
         provisioning_error = CASE WHEN ?::boolean THEN ?::text ELSE provisioning_error END,
         provisioned_at = CASE WHEN ?::boolean AND ?::text = 'PROVISIONED' THEN now() ELSE provisioned_at END
   WHERE id = ?
   RETURNING last_event_seq AS seq
), run AS (
  UPDATE provisioning_run SET status = ?, current_step = ?, resources = ?::jsonb, completed_at = ?::timestamptz, updated_at = now()
   WHERE id = ? AND lease_owner IS NOT DISTINCT FROM ? AND EXISTS (SELECT 1 FROM seq)
   RETURNING cancel_requested
), step AS (
  UPDATE provisioning_step
     SET status = ?, attempts = ?, started_at = ?::timestamptz, completed_at = ?::timestamptz, duration_ms = ?, message = ?, error = ?,
         error_code = ?, skipped_by = ?, skip_reason = ?, output = ?::jsonb
   WHERE run_id = ? AND key = ? AND EXISTS (SELECT 1 FROM run)
), event AS (
  INSERT INTO provisioning_event (tenant_id, seq, run_id, type, step, message, payload, at)
  SELECT ?, seq.seq, ?, ?, ?, ?, jsonb_build_object('provisioning', jsonb_set(?::jsonb, '{lastEventSeq}', to_jsonb(seq.seq))), ?::timestamptz
    FROM seq, run
  RETURNING seq, payload
)
SELECT run.cancel_requested, event.seq,
       pg_notify(?, CASE WHEN octet_length(note.full) < ${MAX_NOTIFY_BYTES} THEN note.full
                         ELSE json_build_object('tenantId', ?::text, 'seq', event.seq)::text END)
  FROM run, event,
       LATERAL (SELECT (?::jsonb || jsonb_build_object('seq', event.seq, 'provisioning', event.payload->'provisioning'))::text AS full) note`,
);

export async function recordTransition(query: PreparedQuery, record: TransitionRecord): Promise<{ event: EventRecord; cancelRequested: boolean }> {
  const { state, view, owner, step, event, tenant } = record;
  const at = new Date().toISOString();
  const base = { tenantId: state.tenantId, runId: state.id, type: event.type, step: event.step, message: event.message, at };
  const [row] = await query<{ cancel_requested: boolean; seq: number }>(TRANSITION, [
    // seq
    tenant !== undefined, tenant?.status ?? null, tenant !== undefined, tenant?.error ?? null, tenant !== undefined, tenant?.status ?? null, state.tenantId,
    // run
    state.status, state.currentStep, JSON.stringify(state.resources), state.completedAt, state.id, owner,
    // step (no step: key null matches no row)
    step?.status ?? null, step?.attempts ?? null, step?.startedAt ?? null, step?.completedAt ?? null, step?.durationMs ?? null,
    step?.message ?? null, step?.error ?? null, step?.errorCode ?? null, step?.skippedBy ?? null, step?.skipReason ?? null,
    step?.output ? JSON.stringify(step.output) : null, state.id, step?.key ?? null,
    // event
    state.tenantId, state.id, event.type, event.step, event.message, JSON.stringify(view), at,
    // notify
    EVENTS_CHANNEL, state.tenantId, JSON.stringify(base),
  ]);
  if (!row) throw new LeaseLostError(state.id);
  return { event: { ...base, seq: row.seq, provisioning: { ...view, lastEventSeq: row.seq } }, cancelRequested: row.cancel_requested };
}
