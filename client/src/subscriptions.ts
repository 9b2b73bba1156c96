import {
  ProvisioningActivityDocument,
  ProvisioningEventsDocument,
  type ProvisioningEventFieldsFragment,
  type ProvisioningEventType,
} from '../generated/graphql.js';
import { resilientSubscription, toHttpUrl, type SubscriptionOptions } from './resilient-subscription.js';
import { createProvisioningClient } from './sdk.js';

export type ProvisioningEvent = ProvisioningEventFieldsFragment;

/** The event types that end a run; a follower stops at the first one. */
export const RUN_END_EVENTS: ReadonlyArray<ProvisioningEventType> = ['RUN_COMPLETED', 'RUN_PARTIAL', 'RUN_FAILED', 'RUN_CANCELLED'];

export interface ProvisioningEventsOptions extends SubscriptionOptions {
  tenantId: string;
  /** Start after this seq (replayed from the log, then live; 0: from the first event); unset: a SNAPSHOT, then live. */
  after?: number | undefined;
}

/**
 * The events of one tenant, in seq order, each exactly once: after a disconnect it subscribes
 * again with `after` = the last seq it handed out, and drops anything at or below it.
 */
export async function* subscribeProvisioningEvents(options: ProvisioningEventsOptions): AsyncGenerator<ProvisioningEvent, void, undefined> {
  let lastSeq = options.after;
  const variables = () => ({ tenantId: options.tenantId, after: lastSeq });
  for await (const item of resilientSubscription(options, ProvisioningEventsDocument, variables)) {
    if (!('data' in item)) continue;
    const event = item.data.provisioningEvents;
    if (lastSeq !== undefined && event.seq <= lastSeq) continue;
    lastSeq = event.seq;
    yield event;
  }
}

/**
 * Live events of every tenant the caller may see. The server does not replay this stream, so
 * the SDK closes gaps itself from the gap-free per-tenant seq: a tenant's event whose seq
 * jumps ahead, and every tenant already seen when the socket comes back, are caught up from
 * provisioningLogs before going on. Tenants first seen live start where they are seen.
 */
export async function* subscribeProvisioningActivity(options: SubscriptionOptions): AsyncGenerator<ProvisioningEvent, void, undefined> {
  const http = createProvisioningClient({ url: toHttpUrl(options.url), token: options.token });
  const lastSeqByTenant = new Map<string, number>();

  async function* catchUp(tenantId: string, untilSeq?: number): AsyncGenerator<ProvisioningEvent> {
    for (;;) {
      const after = lastSeqByTenant.get(tenantId)!;
      if (untilSeq !== undefined && after >= untilSeq - 1) return;
      const page = await http.provisioningLogs({ tenantId, after, first: LOG_PAGE_SIZE });
      for (const event of page) {
        if (untilSeq !== undefined && event.seq >= untilSeq) return;
        lastSeqByTenant.set(tenantId, event.seq);
        yield event;
      }
      if (page.length < LOG_PAGE_SIZE) return;
    }
  }

  for await (const item of resilientSubscription(options, ProvisioningActivityDocument, () => ({}))) {
    if (!('data' in item)) {
      for (const tenantId of [...lastSeqByTenant.keys()]) yield* catchUp(tenantId);
      continue;
    }
    const event = item.data.provisioningActivity;
    const lastSeq = lastSeqByTenant.get(event.tenantId);
    if (lastSeq !== undefined && event.seq <= lastSeq) continue;
    if (lastSeq !== undefined && event.seq > lastSeq + 1) yield* catchUp(event.tenantId, event.seq);
    lastSeqByTenant.set(event.tenantId, event.seq);
    yield event;
  }
}

/** Events fetched per provisioningLogs request while catching up. */
const LOG_PAGE_SIZE = 200;
