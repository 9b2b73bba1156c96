import { GraphQLClient, type Variables } from 'graphql-request';
import * as documents from '../generated/graphql.js';
import { toApiError } from './errors.js';
import { authorizationValue, resolveToken, type TokenSource } from './token.js';
import type { TypedDocumentNode } from './typed-document-node.js';

export interface ProvisioningClientOptions {
  /** The GraphQL endpoint over HTTP, e.g. http://localhost:4000/graphql. */
  url: string;
  token?: TokenSource | undefined;
  /** Another fetch (a proxy-aware one, say); default: the global fetch. */
  fetch?: typeof globalThis.fetch | undefined;
}

/**
 * One typed function per query and mutation of the service. Every function resolves with the
 * operation's data, or rejects with a ProvisioningApiError carrying the error's code.
 */
export function createProvisioningClient(options: ProvisioningClientOptions) {
  const client = new GraphQLClient(options.url, options.fetch ? { fetch: options.fetch } : {});

  async function run<Result, Vars extends Variables>(document: TypedDocumentNode<Result, Vars>, variables: Vars): Promise<Result> {
    const headers = authorizationValue(await resolveToken(options.token));
    try {
      return await client.request<Result, Variables>({ document, variables, requestHeaders: headers });
    } catch (error) {
      throw toApiError(error);
    }
  }

  return {
    me: () => run(documents.MeDocument, {}).then((data) => data.me),
    tenant: (id: string) => run(documents.TenantDocument, { id }).then((data) => data.tenant),
    tenants: (variables: documents.TenantsQueryVariables = {}) => run(documents.TenantsDocument, variables).then((data) => data.tenants),
    provisioning: (tenantId: string) => run(documents.ProvisioningDocument, { tenantId }).then((data) => data.provisioning),
    provisioningLogs: (variables: documents.ProvisioningLogsQueryVariables) =>
      run(documents.ProvisioningLogsDocument, variables).then((data) => data.provisioningLogs),
    provisioningPlan: (template?: documents.ProvisioningTemplate) =>
      run(documents.ProvisioningPlanDocument, template ? { template } : {}).then((data) => data.provisioningPlan),
    provisioningTemplates: () => run(documents.ProvisioningTemplatesDocument, {}).then((data) => data.provisioningTemplates),
    engineHealth: () => run(documents.EngineHealthDocument, {}).then((data) => data.engineHealth),

    login: (email: string, password: string) => run(documents.LoginDocument, { email, password }).then((data) => data.login),
    createTenant: (input: documents.CreateTenantInput) => run(documents.CreateTenantDocument, { input }).then((data) => data.createTenant),
    startProvisioning: (tenantId: string, input?: documents.StartProvisioningInput) =>
      run(documents.StartProvisioningDocument, { tenantId, input }).then((data) => data.startProvisioning),
    retryProvisioning: (tenantId: string, step?: documents.StepKey, schedule: Schedule = {}) =>
      run(documents.RetryProvisioningDocument, { tenantId, step, ...schedule }).then((data) => data.retryProvisioning),
    continueProvisioning: (tenantId: string, schedule: Schedule = {}) =>
      run(documents.ContinueProvisioningDocument, { tenantId, ...schedule }).then((data) => data.continueProvisioning),
    retryProvisioningMany: (filter: documents.TenantFilter, step?: documents.StepKey) =>
      run(documents.RetryProvisioningManyDocument, { filter, step }).then((data) => data.retryProvisioningMany),
    cancelProvisioningMany: (filter: documents.TenantFilter) =>
      run(documents.CancelProvisioningManyDocument, { filter }).then((data) => data.cancelProvisioningMany),
    skipStep: (tenantId: string, step: documents.StepKey, reason?: string) =>
      run(documents.SkipStepDocument, { tenantId, step, reason }).then((data) => data.skipStep),
    cancelProvisioning: (tenantId: string) => run(documents.CancelProvisioningDocument, { tenantId }).then((data) => data.cancelProvisioning),
    /** Platform admins only; the run is followed, retried and cancelled like a provisioning. */
    deprovisionTenant: (tenantId: string, mode: documents.DeprovisionMode) =>
      run(documents.DeprovisionTenantDocument, { tenantId, mode }).then((data) => data.deprovisionTenant),

    webhookEndpoints: (tenantId?: string) => run(documents.WebhookEndpointsDocument, { tenantId }).then((data) => data.webhookEndpoints),
    webhookDeliveries: (variables: documents.WebhookDeliveriesQueryVariables) =>
      run(documents.WebhookDeliveriesDocument, variables).then((data) => data.webhookDeliveries),
    /** The answer holds the endpoint's signing secret, which is never shown again. */
    createWebhookEndpoint: (input: documents.CreateWebhookEndpointInput) =>
      run(documents.CreateWebhookEndpointDocument, { input }).then((data) => data.createWebhookEndpoint),
    updateWebhookEndpoint: (id: string, input: documents.UpdateWebhookEndpointInput) =>
      run(documents.UpdateWebhookEndpointDocument, { id, input }).then((data) => data.updateWebhookEndpoint),
    deleteWebhookEndpoint: (id: string) => run(documents.DeleteWebhookEndpointDocument, { id }).then((data) => data.deleteWebhookEndpoint),
    redeliverWebhook: (deliveryId: string) => run(documents.RedeliverWebhookDocument, { deliveryId }).then((data) => data.redeliverWebhook),
  };
}

/** When a retried or continued run may start: `priority` (higher first) and `runAt` (ISO 8601). */
export interface Schedule {
  priority?: number;
  runAt?: string;
}

export type ProvisioningClient = ReturnType<typeof createProvisioningClient>;
