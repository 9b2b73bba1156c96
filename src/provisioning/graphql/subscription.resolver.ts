import { Arg, Ctx, ID, Int, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { notFound } from '../../lib/errors.js';
import type { RequestContext } from '../../lib/request-context.js';
import { badInput, uuid } from '../../lib/validation.js';
import { assertTenantAccess, canAccessTenant, requireViewer } from '../../tenants/access.js';
import { listEvents } from '../db/list-events.js';
import { tenantExists } from '../db/tenant-exists.js';
import type { EventRecord } from '../events/event-record.js';
import { liveStream, TOO_SLOW_LOG_MESSAGE } from '../events/live-stream.js';
import type { EventHub } from '../events/event-hub.js';
import { tenantEventStream } from '../events/tenant-event-stream.js';
import { EventType } from '../model.js';
import type { Orchestrator } from '../orchestrator.js';
import { ProvisioningEvent } from './types.js';

/** Replay reads the log in pages of this many events. */
const REPLAY_PAGE = 500;

interface EventsArgs {
  tenantId: string;
  after?: number | null;
}

/**
 * Subscriptions are created per resolver instance by the composition root, which hands in the
 * hub and orchestrator: type-graphql's `subscribe` option cannot reach the instance, hence the
 * factory.
 */
export function createSubscriptionResolver(hub: EventHub, orchestrator: Orchestrator, bufferEvents: number) {
  @Resolver()
  class ProvisioningSubscriptionResolver {
    @Subscription(() => ProvisioningEvent, {
      description:
        'Events of one tenant: with `after`, every event with a greater seq (replayed, then live, no gap, no duplicate); without it, a SNAPSHOT first.',
      subscribe: async ({ args, context }: SubscribeResolverData<unknown, EventsArgs, RequestContext>) => {
        const { tenantId: rawTenantId, after } = args;
        const tenantId = uuid('tenantId', rawTenantId);
        assertTenantAccess(context.viewer, tenantId);
        if (after !== null && after !== undefined && after < 0) throw badInput('after', 'must be 0 or more (the last seq you received).');
        if (!(await tenantExists(context.em, tenantId))) throw notFound('Tenant', tenantId);
        return tenantEventStream({
          hub,
          tenantId,
          after: after ?? null,
          log: context.log,
          fetch: (from, before) => listEvents(context.em.fork(), tenantId, from, REPLAY_PAGE, before),
          snapshot: async () => snapshotEvent(context, orchestrator, tenantId),
          bufferEvents,
        });
      },
    })
    provisioningEvents(
      @Root() event: EventRecord,
      @Arg('tenantId', () => ID) _tenantId: string,
      @Arg('after', () => Int, { nullable: true }) _after?: number | null,
    ): EventRecord {
      return event;
    }

    @Subscription(() => ProvisioningEvent, {
      description: 'Live events of every tenant the caller may see (a tenant admin: only its own). No replay.',
      subscribe: ({ context }: SubscribeResolverData<unknown, EventsArgs, RequestContext>) => {
        const viewer = requireViewer(context.viewer);
        return liveStream<EventRecord>(
          bufferEvents,
          ({ owe, give, settle }) =>
            hub.subscribeAll((event) => {
              if (canAccessTenant(viewer, event.tenantId) && owe()) void give(event).finally(settle);
            }),
          () => context.log.warn({ subscription: 'provisioningActivity', bufferEvents }, TOO_SLOW_LOG_MESSAGE),
        );
      },
    })
    provisioningActivity(@Root() event: EventRecord, @Ctx() _ctx: RequestContext): EventRecord {
      return event;
    }
  }
  return ProvisioningSubscriptionResolver;
}

async function snapshotEvent(context: RequestContext, orchestrator: Orchestrator, tenantId: string): Promise<EventRecord> {
  const { lastEventSeq, view } = await orchestrator.current(context.em.fork(), tenantId);
  return {
    tenantId,
    seq: lastEventSeq,
    runId: view?.id ?? null,
    type: EventType.SNAPSHOT,
    step: view?.currentStep ?? null,
    message: view ? `Current state: ${view.status}, ${view.stepsCompleted}/${view.totalSteps} steps done` : 'Not provisioned yet',
    at: new Date().toISOString(),
    provisioning: view,
  };
}
