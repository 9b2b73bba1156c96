/**
 * The typed client SDK of the provisioning service: queries and mutations over HTTP
 * (graphql-request), subscriptions as async iterators over graphql-ws that resume after a
 * disconnect without losing or repeating an event. Types come from `npm run codegen`.
 */
export { createProvisioningClient, type ProvisioningClient, type ProvisioningClientOptions } from './sdk.js';
export {
  subscribeProvisioningActivity,
  subscribeProvisioningEvents,
  type ProvisioningEvent,
  type ProvisioningEventsOptions,
} from './subscriptions.js';
export type { ReconnectPolicy, SubscriptionOptions } from './resilient-subscription.js';
export { ProvisioningApiError } from './errors.js';
export type { TokenSource } from './token.js';
export type * from '../generated/graphql.js';
