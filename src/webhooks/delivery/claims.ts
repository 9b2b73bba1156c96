import type { EntityManager } from '@mikro-orm/postgresql';
import { DELIVERIES_CHANNEL, OPEN_STATUSES_SQL, WebhookDeliveryStatus } from '../model.js';
import type { ClaimedDelivery } from './attempt.js';

// Claims stay SQL: SKIP LOCKED and fenced updates have no entity spelling.

/**
 * Claims up to `limit` due deliveries of enabled endpoints for `leaseMs`: the attempt count
 * goes up (the claim's fencing token), and no replica claims them again until the claim runs
 * out (a sender that dies leaves them due then). SKIP LOCKED lets every replica claim at once
 * without waiting on, or taking, the same row.
 */
export async function claimDue(em: EntityManager, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
  const rows = await em.fork().execute<Array<{ id: string; attempts: number; endpoint_id: string; url: string; secret: string; payload: unknown }>>(
    `UPDATE webhook_delivery d
        SET attempts = d.attempts + 1, last_attempt_at = now(), claimed_until = now() + ? * interval '1 millisecond'
       FROM webhook_endpoint e
      WHERE e.id = d.endpoint_id AND d.id IN (
        SELECT due.id FROM webhook_delivery due JOIN webhook_endpoint owner ON owner.id = due.endpoint_id AND owner.enabled
         WHERE due.status IN ${OPEN_STATUSES_SQL} AND due.next_attempt_at <= now() AND (due.claimed_until IS NULL OR due.claimed_until <= now())
         ORDER BY due.next_attempt_at
         LIMIT ? FOR UPDATE OF due SKIP LOCKED)
      RETURNING d.id, d.attempts, d.payload, e.id AS endpoint_id, e.url, e.secret`,
    [leaseMs, limit],
  );
  return rows.map((row) => ({ id: row.id, attempts: row.attempts, endpointId: row.endpoint_id, url: row.url, sealedSecret: row.secret, payload: row.payload }));
}

export interface Outcome {
  status: WebhookDeliveryStatus;
  /** From now; null when no attempt is to come. */
  nextAttemptInMs: number | null;
  statusCode: number | null;
  error: string | null;
}

export interface EndpointRule {
  failingWindowMs: number;
  /** format() text with two %s: since when it failed, and the last error. */
  disabledReason: string;
}

/**
 * Writes an attempt's outcome, if the claim is still this attempt's (no row otherwise: the
 * lease ran out and another replica took it), and keeps the endpoint's failure streak: a
 * success ends it, a failure starts it, and a failure past the window disables the endpoint.
 * The endpoint row is written only when that changes something.
 */
export async function recordOutcome(
  em: EntityManager,
  delivery: Pick<ClaimedDelivery, 'id' | 'attempts'>,
  outcome: Outcome,
  rule: EndpointRule,
): Promise<{ written: boolean; disabled: boolean }> {
  const delivered = outcome.status === WebhookDeliveryStatus.DELIVERED;
  const [row] = await em.fork().execute<Array<{ written: number; disabled: boolean }>>(
    `WITH delivery AS (
       UPDATE webhook_delivery
          SET status = ?, next_attempt_at = now() + ?::integer * interval '1 millisecond', claimed_until = NULL, last_status_code = ?::integer,
              last_error = ?::text, delivered_at = CASE WHEN ?::boolean THEN now() ELSE delivered_at END
        WHERE id = ?::uuid AND attempts = ?::integer
        RETURNING endpoint_id
     ), verdict AS (
       SELECT e.id, NOT ?::boolean AND e.enabled AND coalesce(e.failing_since < now() - ?::bigint * interval '1 millisecond', false) AS disable
         FROM webhook_endpoint e JOIN delivery ON delivery.endpoint_id = e.id
     ), endpoint AS (
       UPDATE webhook_endpoint e
          SET failing_since = CASE WHEN ?::boolean THEN NULL ELSE coalesce(e.failing_since, now()) END,
              enabled = e.enabled AND NOT verdict.disable,
              disabled_reason = CASE WHEN verdict.disable
                                     THEN format(?::text, to_char(e.failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ?::text)
                                     ELSE e.disabled_reason END,
              updated_at = CASE WHEN verdict.disable THEN now() ELSE e.updated_at END
         FROM verdict
        WHERE e.id = verdict.id AND (verdict.disable OR (e.failing_since IS NULL) <> ?::boolean)
        RETURNING verdict.disable
     )
     SELECT (SELECT count(*) FROM delivery)::int AS written, coalesce((SELECT bool_or(disable) FROM endpoint), false) AS disabled`,
    [
      outcome.status, outcome.nextAttemptInMs, outcome.statusCode, outcome.error, delivered, delivery.id, delivery.attempts,
      delivered, rule.failingWindowMs,
      delivered, rule.disabledReason, outcome.error, delivered,
    ],
  );
  return { written: row!.written > 0, disabled: row!.disabled };
}

/** Hands an interrupted attempt back (the process is stopping): due at once, for any replica. */
export async function release(em: EntityManager, delivery: Pick<ClaimedDelivery, 'id' | 'attempts'>): Promise<void> {
  await em.fork().execute(
    `UPDATE webhook_delivery SET claimed_until = NULL, last_error = 'Interrupted: the sending process stopped; any replica sends it again.'
      WHERE id = ?::uuid AND attempts = ?::integer`,
    [delivery.id, delivery.attempts],
  );
}

/** Wakes every replica's worker (the transition statement does the same when it writes a delivery). */
export async function notifyWorkers(em: EntityManager): Promise<void> {
  await em.fork().execute(`SELECT pg_notify(?, '')`, [DELIVERIES_CHANNEL]);
}
