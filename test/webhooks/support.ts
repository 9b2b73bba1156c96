import { Webhook } from 'standardwebhooks';
import WebSocket from 'ws';
import {
  RUN_END_EVENTS,
  subscribeProvisioningEvents,
  type ProvisioningClient,
  type ProvisioningEvent,
  type ProvisioningEventType,
  type WebhookDeliveryFieldsFragment,
} from '../../client/src/index.js';
import { EventType } from '../../src/provisioning/model.js';
import type { ReceivedWebhook } from './receiver.js';

/**
 * Time scales only (WEBHOOK_ALLOW_PRIVATE lets the loopback receiver in): the retry delays
 * become 0.5 ms, 30 ms, 180 ms, 0.7 s, 1.8 s, 3.6 s, 3.6 s, and the 3-day window 26 s (longer
 * than any test here, so no endpoint is disabled by a slow machine); attempts, limits and the
 * 10 s timeout stay as shipped.
 */
export const WEBHOOK_TEST_ENV = {
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_TIME_SCALE: '0.0001',
  WEBHOOK_POLL_INTERVAL_MS: '200',
  WEBHOOK_LEASE_MS: '1000',
};

/** Every type an event can have (SNAPSHOT only starts a subscription). */
export const EVERY_EVENT_TYPE = Object.values(EventType).filter((type) => type !== EventType.SNAPSHOT) as ProvisioningEventType[];

/** The tenant's events from its first as provisioningEvents delivers them, until a run ends. */
export async function followRun(graphqlUrl: string, token: string, tenantId: string): Promise<ProvisioningEvent[]> {
  const events: ProvisioningEvent[] = [];
  for await (const event of subscribeProvisioningEvents({ url: graphqlUrl, token, tenantId, after: 0, webSocketImpl: WebSocket })) {
    events.push(event);
    if (RUN_END_EVENTS.includes(event.type)) break;
  }
  return events;
}

/** Every delivery of an endpoint, page by page (small pages, so the cursor is used). */
export async function allDeliveries(api: ProvisioningClient, endpointId: string, pageSize = 10): Promise<WebhookDeliveryFieldsFragment[]> {
  const deliveries: WebhookDeliveryFieldsFragment[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await api.webhookDeliveries({ endpointId, first: pageSize, after });
    deliveries.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) return deliveries;
    after = page.pageInfo.endCursor;
  }
}

/** The one delivery of an endpoint (endpoints that take a single event type, of a single run). */
export async function onlyDelivery(api: ProvisioningClient, endpointId: string): Promise<WebhookDeliveryFieldsFragment | undefined> {
  const [only, ...more] = (await api.webhookDeliveries({ endpointId })).edges.map((edge) => edge.node);
  if (more.length) throw new Error(`expected one delivery, got ${more.length + 1}`);
  return only;
}

/** The event a request carried, after checking its signature as a receiver would (throws when it does not verify). */
export function verified(secret: string, request: ReceivedWebhook): ProvisioningEvent {
  return new Webhook(secret).verify(request.body, request.headers) as ProvisioningEvent;
}
