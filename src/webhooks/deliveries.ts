import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, notFound } from '../lib/errors.js';
import { badInput, isUuid, uuid } from '../lib/validation.js';
import type { Viewer } from '../tenants/auth/tokens.js';
import { notifyWorkers } from './delivery/claims.js';
import { loadAccessibleEndpoint } from './endpoints.js';
import { WebhookDelivery } from './entities/webhook-delivery.entity.js';
import { WebhookDeliveryStatus } from './model.js';

const MAX_DELIVERY_PAGE = 200;

export interface DeliveryPage {
  edges: Array<{ cursor: string; node: WebhookDelivery }>;
  hasNextPage: boolean;
}

/**
 * An endpoint's deliveries, newest first, keyset-paginated: a cursor is the (created_at, id) of
 * the last row seen, the time as PostgreSQL prints it (microseconds: a JavaScript Date would
 * round them away, and skip or repeat rows of one transaction).
 */
export async function listDeliveries(
  em: EntityManager,
  viewer: Viewer | null,
  args: { endpointId: string; status?: WebhookDeliveryStatus | null; after?: string | null; first: number },
): Promise<DeliveryPage> {
  const endpoint = await loadAccessibleEndpoint(em, viewer, args.endpointId, 'endpointId');
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_DELIVERY_PAGE) throw badInput('first', `must be between 1 and ${MAX_DELIVERY_PAGE}.`);
  const after = args.after ? decodeCursor(args.after) : null;
  const rows = await em.execute<Array<Record<string, unknown> & { id: string; created_at: string }>>(
    `SELECT * FROM webhook_delivery
      WHERE endpoint_id = ?::uuid AND (?::text IS NULL OR status = ?::text)
        AND (?::timestamptz IS NULL OR (created_at, id) < (?::timestamptz, ?::uuid))
      ORDER BY created_at DESC, id DESC LIMIT ?`,
    [endpoint.id, args.status ?? null, args.status ?? null, after?.createdAt ?? null, after?.createdAt ?? null, after?.id ?? null, args.first + 1],
  );
  const edges = rows.slice(0, args.first).map((row) => ({ cursor: encodeCursor(row.created_at, row.id), node: em.map(WebhookDelivery, row) }));
  return { edges, hasNextPage: rows.length > args.first };
}

/**
 * One more attempt now, with the same webhook-id (an attempt in flight is that attempt): a
 * delivery with retries to come keeps its schedule; a DELIVERED or FAILED one is PENDING again,
 * and a failure then takes the schedule up where its attempts left it (one that used it up gets
 * this one attempt).
 */
export async function redeliver(em: EntityManager, viewer: Viewer | null, deliveryId: string): Promise<WebhookDelivery> {
  const id = uuid('deliveryId', deliveryId);
  const delivery = await em.findOne(WebhookDelivery, id, { fields: ['id', 'endpoint'] });
  if (!delivery) throw notFound('Webhook delivery', id);
  const endpoint = await loadAccessibleEndpoint(em, viewer, delivery.endpoint.id, 'deliveryId');
  if (!endpoint.enabled) throw new AppError('INVALID_STATE', 'Its endpoint is disabled: enable it first (updateWebhookEndpoint with enabled: true).');
  const [row] = await em.execute<Array<Record<string, unknown>>>(
    `UPDATE webhook_delivery
        SET status = CASE WHEN status = ? THEN status ELSE ? END, next_attempt_at = now()
      WHERE id = ?::uuid RETURNING *`,
    [WebhookDeliveryStatus.RETRYING, WebhookDeliveryStatus.PENDING, id],
  );
  if (!row) throw notFound('Webhook delivery', id);
  await notifyWorkers(em);
  return em.map(WebhookDelivery, row);
}

function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(`${createdAt}|${id}`).toString('base64url');
}

/** PostgreSQL's text form of a timestamptz, e.g. 2026-05-01 10:00:00.123456+00. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;
const MAX_CURSOR_LENGTH = 200;

/** A cursor comes from the client, so every part is checked before it reaches SQL. */
function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const notOurs = badInput('after', 'is not a cursor from this API: pass pageInfo.endCursor of the previous page.');
  if (cursor.length > MAX_CURSOR_LENGTH) throw notOurs;
  const [createdAt, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!createdAt || !TIMESTAMP.test(createdAt) || !isUuid(id) || rest.length > 0) throw notOurs;
  return { createdAt, id };
}
