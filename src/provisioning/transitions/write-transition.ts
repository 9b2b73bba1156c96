import { statement, type StatementRunner } from '../db/statement.js';
import type { ProvisioningStep } from '../entities/provisioning-step.entity.js';
import { EVENTS_CHANNEL, MAX_NOTIFY_BYTES, type EventRecord } from '../events/event-record.js';
import { EventType } from '../model.js';
import { toView, type ProvisioningView } from '../run-view.js';
import { LeaseLostError, StartRefusedError, type CommittedTransition, type Transition } from './transition.js';

/**
 * Every transition, from a command or an executor, is this one statement. Data-modifying CTEs,
 * in order of dependency:
 *   seq    bumps the tenant's seq (and its status when the run ends): takes the tenant's row
 *          lock first, the order every command uses, so commands and executors cannot deadlock;
 *   run    saves the run: an executor only while it holds the lease, a command (which holds the
 *          run's row lock) also its cancel flag, priority and schedule, and, when given, a new
 *          lease or its place in the queue (PostgreSQL's clock);
 *   steps  saves the changed steps, only if the run was saved;
 *   event  appends the event with that seq and PostgreSQL's clock when it is written (not when
 *          its transaction began, which may have waited on a lock), the state after it inside;
 *   webhook  writes the event, as subscribers receive it, for each enabled webhook endpoint that
 *          wants it (the outbox of src/webhooks: a delivery exists exactly when its event does);
 *   outbox (with an external event bus) leaves the event for the relay to publish;
 * and the final SELECT sends the NOTIFYs (the event, unless it went to the outbox; a wake-up for
 * the webhook workers when a delivery was written), delivered only if the transaction commits.
 * An executor's transition whose lease is lost, and its step start once the run was asked to
 * cancel, make the statement fail (provisioning_transition_refused), so it writes nothing at
 * all, even alone, outside BEGIN/COMMIT.
 *
 * One statement instead of one per row, and on the executor's path prepared (MikroORM inlines
 * parameters, so PostgreSQL would parse and plan this statement at every one of a run's 23
 * transitions): that took a whole run from 139 ms (about 8 round trips per transition through
 * the unit of work) to 84 ms against the zero-latency sandbox (`npm run bench -- --only=overhead`).
 */
/** Raised by provisioning_transition_refused (migrations 0007, 0010): the statement wrote nothing. */
const LEASE_LOST_SQLSTATE = 'PL001';
const START_REFUSED_SQLSTATE = 'PL002';

/** How committed events reach the subscribers of every replica. */
export type EventDelivery = 'notify' | 'outbox';

const CTES = `
WITH seq AS (
  UPDATE tenant SET last_event_seq = last_event_seq + 1, updated_at = now(),
         provisioning_status = CASE WHEN ?::boolean THEN ?::text ELSE provisioning_status END,
         provisioning_error = CASE WHEN ?::boolean THEN ?::text ELSE provisioning_error END,
         provisioned_at = CASE WHEN ?::text = 'PROVISIONED' THEN now() ELSE provisioned_at END
   WHERE id = ?::uuid
   RETURNING last_event_seq AS seq
), run AS (
  UPDATE provisioning_run
     SET status = ?::text, current_step = ?::text, resources = ?::jsonb, completed_at = ?::timestamptz, updated_at = now(),
         cancel_requested = CASE WHEN ?::boolean THEN ?::boolean ELSE cancel_requested END,
         lease_owner = CASE WHEN ?::boolean THEN ?::text ELSE lease_owner END,
         lease_expires_at = CASE WHEN ?::boolean THEN now() + ?::integer * interval '1 millisecond' ELSE lease_expires_at END,
         priority = CASE WHEN ?::boolean THEN ?::integer ELSE priority END,
         run_at = CASE WHEN ?::boolean THEN ?::timestamptz ELSE run_at END,
         queued_at = CASE WHEN ?::boolean THEN now() ELSE queued_at END
   WHERE id = ?::uuid AND (?::boolean OR lease_owner = ?::text) AND NOT (?::boolean AND cancel_requested) AND EXISTS (SELECT 1 FROM seq)
   RETURNING cancel_requested
), steps AS (
  UPDATE provisioning_step s
     SET status = x.status, attempts = x.attempts, started_at = x.started_at, completed_at = x.completed_at,
         duration_ms = x.duration_ms, message = x.message, error = x.error, error_code = x.error_code,
         skipped_by = x.skipped_by, skip_reason = x.skip_reason, output = x.output
    FROM jsonb_to_recordset(?::jsonb) AS x(key text, status text, attempts integer, started_at timestamptz, completed_at timestamptz,
         duration_ms integer, message text, error text, error_code text, skipped_by text, skip_reason text, output jsonb)
   WHERE s.run_id = ?::uuid AND s.key = x.key AND EXISTS (SELECT 1 FROM run)
), event AS (
  INSERT INTO provisioning_event (tenant_id, seq, run_id, type, step, message, payload, at)
  SELECT ?::uuid, seq.seq, ?::uuid, ?::text, ?::text, ?::text,
         jsonb_build_object('provisioning', jsonb_set(?::jsonb, '{lastEventSeq}', to_jsonb(seq.seq))), clock_timestamp()
    FROM seq, run
  RETURNING tenant_id, seq, run_id, type, step, message, payload,
            to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
), note AS (
  SELECT event.seq, event.at, event.tenant_id,
         jsonb_build_object('tenantId', event.tenant_id, 'seq', event.seq, 'runId', event.run_id, 'type', event.type, 'step', event.step,
                            'message', event.message, 'at', event.at, 'provisioning', event.payload->'provisioning')::text AS full
    FROM event
), webhook AS (
  INSERT INTO webhook_delivery (id, endpoint_id, tenant_id, seq, event_type, payload, created_at)
  SELECT gen_random_uuid(), endpoint.id, event.tenant_id, event.seq, event.type, note.full::jsonb, clock_timestamp()
    FROM event, note, webhook_endpoint endpoint
   WHERE endpoint.enabled AND (endpoint.tenant_id IS NULL OR endpoint.tenant_id = event.tenant_id) AND event.type = ANY(endpoint.event_types)
  RETURNING 1
)`;

/**
 * The statement for each way: `notify` sends the event with the commit (PostgreSQL's own bus,
 * the default); `outbox` leaves it in provisioning_event_outbox for the relay to publish on an
 * external bus, so the commit takes no NOTIFY lock.
 */
const TRANSITION = {
  notify: statement(
    'provisioning_transition',
    `${CTES}
SELECT run.cancel_requested, note.seq, note.at,
       pg_notify('${EVENTS_CHANNEL}', CASE WHEN octet_length(note.full) < ${MAX_NOTIFY_BYTES} THEN note.full
                                   ELSE json_build_object('tenantId', note.tenant_id, 'seq', note.seq)::text END),
       (SELECT pg_notify('webhook_deliveries', '') FROM webhook LIMIT 1)
  FROM (SELECT 1) AS always LEFT JOIN run ON true LEFT JOIN note ON true
 WHERE CASE WHEN run.cancel_requested IS NULL THEN provisioning_transition_refused(?::uuid, ?::boolean) ELSE true END`,
  ),
  outbox: statement(
    'provisioning_transition_outbox',
    `${CTES}, outbox AS (
  INSERT INTO provisioning_event_outbox (payload) SELECT note.full FROM note
)
SELECT run.cancel_requested, note.seq, note.at,
       (SELECT pg_notify('webhook_deliveries', '') FROM webhook LIMIT 1)
  FROM (SELECT 1) AS always LEFT JOIN run ON true LEFT JOIN note ON true
 WHERE CASE WHEN run.cancel_requested IS NULL THEN provisioning_transition_refused(?::uuid, ?::boolean) ELSE true END`,
  ),
};

/**
 * A transition taken down as it is now: its parameters (the run, its steps and the view
 * serialised), so that a transition written later, with others in one transaction, still says
 * what was true when it happened.
 */
export interface PreparedTransition {
  transition: Transition;
  params: unknown[];
  view: ProvisioningView;
}

export function prepareTransition(transition: Transition): PreparedTransition {
  const { run: state, steps = [], event, tenant, author } = transition;
  const tenantId = state.tenant.id;
  const command = 'command' in author;
  const lease = command ? author.lease : undefined;
  // An executor starting (or skipping) a step that had not begun: refused once the run was asked to cancel.
  const startsStep = !command && (event.type === EventType.STEP_STARTED || event.type === EventType.STEP_SKIPPED);
  const view = toView(state, 0);
  const params = [
    // seq
    tenant !== undefined, tenant?.status ?? null, tenant !== undefined, tenant?.error ?? null, tenant?.status ?? null, tenantId,
    // run
    state.status, state.currentStep, JSON.stringify(state.resources), state.completedAt?.toISOString() ?? null,
    command, state.cancelRequested, lease !== undefined, lease?.owner ?? null, lease !== undefined, lease?.ms ?? null,
    command, state.priority, command, state.runAt?.toISOString() ?? null, command && author.enqueue === true,
    state.id, command, command ? null : author.leaseOwner, startsStep,
    // steps
    JSON.stringify(steps.map(stepRow)), state.id,
    // event
    tenantId, state.id, event.type, event.step ?? null, event.message, JSON.stringify(view),
    // why nothing was written
    state.id, startsStep,
  ];

  return { transition, params, view };
}

/** Writes a prepared transition with the runner's connection; the caller commits (or it is its own transaction). */
export async function writePrepared(run: StatementRunner, prepared: PreparedTransition, delivery: EventDelivery): Promise<CommittedTransition> {
  const { transition, view } = prepared;
  const [row] = await run<{ cancel_requested: boolean; seq: number; at: string }>(TRANSITION[delivery], prepared.params).catch((error: unknown) => {
    const code = (error as { code?: string }).code;
    if (code === LEASE_LOST_SQLSTATE) throw new LeaseLostError(transition.run.id);
    throw code === START_REFUSED_SQLSTATE ? new StartRefusedError(transition.run.id, transition.event.step) : error;
  });
  const record: EventRecord = {
    tenantId: transition.run.tenant.id,
    seq: row.seq,
    runId: transition.run.id,
    type: transition.event.type,
    step: transition.event.step ?? null,
    message: transition.event.message,
    at: row.at,
    provisioning: { ...view, lastEventSeq: row.seq },
  };
  return { transition, event: record, cancelRequested: row.cancel_requested };
}

export function writeTransition(run: StatementRunner, transition: Transition, delivery: EventDelivery): Promise<CommittedTransition> {
  return writePrepared(run, prepareTransition(transition), delivery);
}

function stepRow(step: ProvisioningStep) {
  return {
    key: step.key,
    status: step.status,
    attempts: step.attempts,
    started_at: step.startedAt?.toISOString() ?? null,
    completed_at: step.completedAt?.toISOString() ?? null,
    duration_ms: step.durationMs,
    message: step.message,
    error: step.error,
    error_code: step.errorCode,
    skipped_by: step.skippedBy,
    skip_reason: step.skipReason,
    output: step.output,
  };
}
