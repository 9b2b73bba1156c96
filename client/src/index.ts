/**
 * The typed client SDK of the provisioning service: queries and mutations over HTTP
 * (graphql-request), subscriptions as async iterators over graphql-ws that resume after a
 * disconnect without losing or repeating an event. The typed documents and their types come
 * from `npm run codegen`; they are exported too, for Apollo Client, urql or any other client.
 */
export { createProvisioningClient, type ProvisioningClient, type ProvisioningClientOptions } from './sdk.js';
export {
  RUN_END_EVENTS,
  subscribeProvisioningActivity,
  subscribeProvisioningEvents,
  type ProvisioningEvent,
  type ProvisioningEventsOptions,
} from './subscriptions.js';
export type { ReconnectPolicy, SubscriptionOptions } from './resilient-subscription.js';
export { ProvisioningApiError } from './errors.js';
export type { TokenSource } from './token.js';
export * from '../generated/graphql.js';
export type { TypedDocumentNode } from './typed-document-node.js';
