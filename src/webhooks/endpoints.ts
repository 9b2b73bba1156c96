import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { badInput, uuid } from '../lib/validation.js';
import { notFound } from '../lib/errors.js';
import type { EventType } from '../provisioning/model.js';
import { assertTenantAccess, requirePlatformAdmin } from '../tenants/access.js';
import type { Viewer } from '../tenants/auth/tokens.js';
import { UserRole } from '../tenants/model.js';
import { Tenant } from '../tenants/tenant.entity.js';
import type { AddressPolicy } from './address-policy.js';
import { notifyWorkers } from './delivery/claims.js';
import { endpointUrl, eventTypes } from './endpoint-input.js';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity.js';
import { MAX_ENDPOINTS_PER_SCOPE, OPEN_STATUSES_SQL } from './model.js';
import { generateSecret, type SecretBox } from './secrets.js';

export interface EndpointDeps {
  secrets: SecretBox;
  policy: AddressPolicy;
}

/** Namespace of the advisory locks that serialise endpoint creation per scope (so the limit holds). */
const CREATE_LOCK_CLASS = 0x77_68;

/**
 * Who may act on endpoints of a scope: a tenant's, its admin and platform admins; every
 * tenant's (no tenant), platform admins only.
 */
function assertScope(viewer: Viewer | null, tenantId: string | null): Viewer {
  return tenantId === null ? requirePlatformAdmin(viewer) : assertTenantAccess(viewer, tenantId);
}

export async function createEndpoint(
  em: EntityManager,
  viewer: Viewer | null,
  input: { url: string; eventTypes: EventType[]; tenantId?: string | null },
  deps: EndpointDeps,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const tenantId = input.tenantId === null || input.tenantId === undefined ? null : uuid('input.tenantId', input.tenantId);
  const actor = assertScope(viewer, tenantId);
  if (tenantId && !(await em.count(Tenant, tenantId))) throw notFound('Tenant', tenantId);
  const types = eventTypes('input.eventTypes', input.eventTypes);
  const url = await endpointUrl('input.url', input.url, deps.policy);
  const secret = generateSecret();
  const id = randomUUID();
  const endpoint = await em.fork().transactional(async (tx) => {
    await tx.execute(`SELECT pg_advisory_xact_lock(?, hashtext(?))`, [CREATE_LOCK_CLASS, tenantId ?? 'every tenant']);
    if ((await tx.count(WebhookEndpoint, { tenant: tenantId })) >= MAX_ENDPOINTS_PER_SCOPE) {
      throw badInput('input.tenantId', `has ${MAX_ENDPOINTS_PER_SCOPE} webhook endpoints already, the most it may have: delete one first.`);
    }
    return tx.create(WebhookEndpoint, {
      id,
      tenant: tenantId ? tx.getReference(Tenant, tenantId) : null,
      url,
      eventTypes: types,
      secret: deps.secrets.seal(secret, id),
      createdBy: actor.email,
    });
  });
  return { endpoint, secret };
}

export async function updateEndpoint(
  em: EntityManager,
  viewer: Viewer | null,
  id: string,
  input: { url?: string | null; eventTypes?: EventType[] | null; enabled?: boolean | null },
  deps: EndpointDeps,
): Promise<WebhookEndpoint> {
  const endpoint = await loadAccessibleEndpoint(em, viewer, id, 'id');
  if (input.url !== null && input.url !== undefined) endpoint.url = await endpointUrl('input.url', input.url, deps.policy);
  if (input.eventTypes !== null && input.eventTypes !== undefined) endpoint.eventTypes = eventTypes('input.eventTypes', input.eventTypes);
  const toggled = input.enabled !== null && input.enabled !== undefined && input.enabled !== endpoint.enabled;
  if (toggled) {
    endpoint.enabled = input.enabled!;
    endpoint.disabledReason = endpoint.enabled ? null : `Disabled by ${viewer!.email}.`;
    endpoint.failingSince = null;
  }
  await em.flush();
  if (toggled && endpoint.enabled) await sendWaitingNow(em, endpoint.id);
  return endpoint;
}

/**
 * Enabling an endpoint says its receiver works again: what waited while it was disabled, and
 * retries scheduled hours ahead, are due now, for every replica.
 */
async function sendWaitingNow(em: EntityManager, endpointId: string): Promise<void> {
  await em.execute(`UPDATE webhook_delivery SET next_attempt_at = now() WHERE endpoint_id = ?::uuid AND status IN ${OPEN_STATUSES_SQL}`, [endpointId]);
  await notifyWorkers(em);
}

/** Deletes the endpoint and its deliveries (an attempt in flight finds its row gone and writes nothing). */
export async function deleteEndpoint(em: EntityManager, viewer: Viewer | null, id: string): Promise<string> {
  const endpoint = await loadAccessibleEndpoint(em, viewer, id, 'id');
  await em.nativeDelete(WebhookEndpoint, { id: endpoint.id });
  return endpoint.id;
}

/**
 * A tenant's endpoints (`tenantId`), or without one: every tenant's endpoints for a platform
 * admin, its own tenant's for a tenant admin. Oldest first; at most MAX_ENDPOINTS_PER_SCOPE.
 */
export async function listEndpoints(em: EntityManager, viewer: Viewer | null, tenantId?: string | null): Promise<WebhookEndpoint[]> {
  let scope: string | null;
  if (tenantId !== null && tenantId !== undefined) scope = uuid('tenantId', tenantId);
  else scope = viewer?.role === UserRole.PLATFORM_ADMIN ? null : (viewer?.tenantId ?? null);
  assertScope(viewer, scope);
  return em.find(WebhookEndpoint, { tenant: scope }, { orderBy: { createdAt: 'asc', id: 'asc' } });
}

/** The endpoint by id if the caller may act on it: NOT_FOUND for no such endpoint, FORBIDDEN for another tenant's. */
export async function loadAccessibleEndpoint(em: EntityManager, viewer: Viewer | null, id: string, field: string): Promise<WebhookEndpoint> {
  const endpointId = uuid(field, id);
  const endpoint = await em.findOne(WebhookEndpoint, endpointId);
  if (!endpoint) throw notFound('Webhook endpoint', endpointId);
  assertScope(viewer, endpoint.tenant?.id ?? null);
  return endpoint;
}
