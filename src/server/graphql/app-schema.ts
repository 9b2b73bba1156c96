import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import type { EventHub } from '../../provisioning/events/event-hub.js';
import { ProvisioningResolver, TenantProvisioningResolver, type HealthSource } from '../../provisioning/graphql/provisioning.resolver.js';
import { FleetResolver } from '../../provisioning/graphql/fleet.resolver.js';
import { createSubscriptionResolver } from '../../provisioning/graphql/subscription.resolver.js';
import type { Orchestrator } from '../../provisioning/orchestrator.js';
import type { LoginRateLimiter } from '../../tenants/auth/login-rate-limiter.js';
import type { Sessions } from '../../tenants/auth/sessions.js';
import type { TokenService } from '../../tenants/auth/tokens.js';
import { AuthResolver } from '../../tenants/graphql/auth.resolver.js';
import { TenantResolver } from '../../tenants/graphql/tenant.resolver.js';
import { createTenantResolver } from '../../tenants/graphql/create-tenant.resolver.js';
import { StartProvisioningInput } from '../../provisioning/graphql/types.js';
import type { EndpointDeps } from '../../webhooks/endpoints.js';
import { WebhookResolver } from '../../webhooks/graphql/webhook.resolver.js';
import { buildAppSchema } from './schema.js';

export interface SchemaDeps {
  tokens: TokenService;
  limiter: LoginRateLimiter;
  sessions: Pick<Sessions, 'forget'>;
  orchestrator: Orchestrator;
  health: HealthSource;
  hub: EventHub;
  /** Events a subscription may leave unread (SUBSCRIPTION_BUFFER_EVENTS). */
  subscriptionBufferEvents: number;
  /** Seals new endpoints' secrets; checks their URLs. */
  webhooks: EndpointDeps;
}

/** Every resolver of the API, with its dependencies: the one place the schema is assembled. */
export function buildServiceSchema(deps: SchemaDeps): Promise<GraphQLSchema> {
  const SubscriptionResolver = createSubscriptionResolver(deps.hub, deps.orchestrator, deps.subscriptionBufferEvents);
  const CreateTenantResolver = createTenantResolver(StartProvisioningInput, deps.orchestrator);
  return buildAppSchema(
    [AuthResolver, TenantResolver, CreateTenantResolver, ProvisioningResolver, FleetResolver, TenantProvisioningResolver, SubscriptionResolver, WebhookResolver],
    [
      new AuthResolver(deps.tokens, deps.limiter, deps.sessions),
      new ProvisioningResolver(deps.orchestrator, deps.health),
      new FleetResolver(deps.orchestrator),
      new TenantProvisioningResolver(deps.orchestrator),
      new SubscriptionResolver(),
      new WebhookResolver(deps.webhooks),
    ],
  );
}

/**
 * The SDL of the API, sorted so that the committed `schema.graphql` only changes when the API
 * does. Printing needs no running parts: the dependencies are never called while printing.
 */
export async function printServiceSchema(): Promise<string> {
  const unused = {} as never;
  const schema = await buildServiceSchema({
    tokens: unused,
    limiter: unused,
    sessions: unused,
    orchestrator: unused,
    health: unused,
    hub: unused,
    subscriptionBufferEvents: 1,
    webhooks: unused,
  });
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
