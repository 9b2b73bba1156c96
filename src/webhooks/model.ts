/** The vocabulary of webhooks, shared by the entities, the delivery worker and GraphQL. */

export enum WebhookDeliveryStatus {
  /** Not attempted yet (or handed back by a replica that shut down, or asked for again by redeliverWebhook). */
  PENDING = 'PENDING',
  /** An attempt failed; the next one is due at `nextAttemptAt`. */
  RETRYING = 'RETRYING',
  /** The endpoint answered 2xx. */
  DELIVERED = 'DELIVERED',
  /** No more attempts: the endpoint refused it (4xx other than 408, 409, 429), the address was not allowed, or the schedule ran out. */
  FAILED = 'FAILED',
}

/** Statuses whose delivery still has an attempt to come (SQL: `status IN ${OPEN_STATUSES_SQL}`). */
export const OPEN_STATUSES_SQL = `('${WebhookDeliveryStatus.PENDING}', '${WebhookDeliveryStatus.RETRYING}')`;

/**
 * Endpoints per tenant (and for all tenants): each event inserts a delivery per endpoint in the
 * transition's own statement, so an unbounded number would let one caller slow every transition.
 */
export const MAX_ENDPOINTS_PER_SCOPE = 20;

/** Long enough for any real receiver URL; the column is text, this keeps requests small. */
export const MAX_URL_LENGTH = 2048;

/**
 * The NOTIFY channel that wakes every replica's delivery worker: sent by the transition
 * statement (src/provisioning/transitions/write-transition.ts, which spells it out so that
 * provisioning does not import webhooks) when it inserted a delivery, and by redeliveries.
 */
export const DELIVERIES_CHANNEL = 'webhook_deliveries';
