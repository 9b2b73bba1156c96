import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../lib/request-context.js';
import type { WebhookDelivery } from '../entities/webhook-delivery.entity.js';
import type { WebhookEndpoint } from '../entities/webhook-endpoint.entity.js';
import { listDeliveries, redeliver } from '../deliveries.js';
import { createEndpoint, deleteEndpoint, listEndpoints, updateEndpoint, type EndpointDeps } from '../endpoints.js';
import { WebhookDeliveryStatus } from '../model.js';
import {
  CreatedWebhookEndpoint,
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WebhookDeliveryConnection,
  WebhookDeliveryType,
  WebhookEndpointType,
} from './types.js';

@Resolver()
export class WebhookResolver {
  constructor(private readonly deps: EndpointDeps) {}

  @Query(() => [WebhookEndpointType], {
    description: "A tenant's webhook endpoints; without tenantId, a platform admin's endpoints for every tenant, or a tenant admin's own tenant's.",
  })
  async webhookEndpoints(@Ctx() ctx: RequestContext, @Arg('tenantId', () => ID, { nullable: true }) tenantId?: string | null): Promise<WebhookEndpointType[]> {
    return (await listEndpoints(ctx.em, ctx.viewer, tenantId)).map(endpointView);
  }

  @Query(() => WebhookDeliveryConnection, { description: "An endpoint's deliveries, newest first." })
  async webhookDeliveries(
    @Arg('endpointId', () => ID) endpointId: string,
    @Ctx() ctx: RequestContext,
    @Arg('status', () => WebhookDeliveryStatus, { nullable: true }) status?: WebhookDeliveryStatus | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number = 50,
  ): Promise<WebhookDeliveryConnection> {
    const page = await listDeliveries(ctx.em, ctx.viewer, { endpointId, status, after, first });
    const edges = page.edges.map(({ cursor, node }) => ({ cursor, node: deliveryView(node) }));
    return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  @Mutation(() => CreatedWebhookEndpoint, {
    description: 'Creates an endpoint; its signing secret is in the answer, and never shown again. Platform admins for any tenant (or every tenant), a tenant admin for its own.',
  })
  async createWebhookEndpoint(@Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput, @Ctx() ctx: RequestContext): Promise<CreatedWebhookEndpoint> {
    const { endpoint, secret } = await createEndpoint(ctx.em, ctx.viewer, input, this.deps);
    ctx.log.info({ endpointId: endpoint.id, tenantId: endpoint.tenant?.id ?? null }, 'webhook endpoint created');
    return { endpoint: endpointView(endpoint), secret };
  }

  @Mutation(() => WebhookEndpointType, { description: 'Changes the URL, the event types, or whether it is enabled.' })
  async updateWebhookEndpoint(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
    @Ctx() ctx: RequestContext,
  ): Promise<WebhookEndpointType> {
    return endpointView(await updateEndpoint(ctx.em, ctx.viewer, id, input, this.deps));
  }

  @Mutation(() => ID, { description: 'Deletes the endpoint and its deliveries; returns its id.' })
  async deleteWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<string> {
    const deleted = await deleteEndpoint(ctx.em, ctx.viewer, id);
    ctx.log.info({ endpointId: deleted }, 'webhook endpoint deleted');
    return deleted;
  }

  @Mutation(() => WebhookDeliveryType, { description: 'Schedules another attempt of the delivery now, with the same webhook-id.' })
  async redeliverWebhook(@Arg('deliveryId', () => ID) deliveryId: string, @Ctx() ctx: RequestContext): Promise<WebhookDeliveryType> {
    return deliveryView(await redeliver(ctx.em, ctx.viewer, deliveryId));
  }
}

function endpointView(endpoint: WebhookEndpoint): WebhookEndpointType {
  const { id, url, eventTypes, enabled, disabledReason, failingSince, createdBy, createdAt, updatedAt } = endpoint;
  return { id, tenantId: endpoint.tenant?.id ?? null, url, eventTypes, enabled, disabledReason, failingSince, createdBy, createdAt, updatedAt };
}

function deliveryView(delivery: WebhookDelivery): WebhookDeliveryType {
  const { id, seq, eventType, status, attempts, nextAttemptAt, lastAttemptAt, lastStatusCode, lastError, createdAt, deliveredAt, payload } = delivery;
  return {
    id,
    endpointId: delivery.endpoint.id,
    tenantId: delivery.tenant.id,
    seq,
    eventType,
    status,
    attempts,
    nextAttemptAt,
    lastAttemptAt,
    lastStatusCode,
    lastError,
    createdAt,
    deliveredAt,
    payload: payload as unknown as Record<string, unknown>,
  };
}
