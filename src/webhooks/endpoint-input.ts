import { badInput, requiredText, truncate } from '../lib/validation.js';
import { EventType } from '../provisioning/model.js';
import { AddressRefused, resolveTarget, type AddressPolicy } from './address-policy.js';
import { MAX_URL_LENGTH } from './model.js';

/** How long creating an endpoint waits for its name to resolve. */
const RESOLVE_TIMEOUT_MS = 5_000;

/**
 * An endpoint URL as given: absolute, https (http only to loopback and private addresses with
 * WEBHOOK_ALLOW_PRIVATE), no credentials, and a host whose addresses webhooks may reach. A name
 * that does not resolve yet is accepted: every send resolves and checks it again.
 */
export async function endpointUrl(field: string, raw: string, policy: AddressPolicy): Promise<string> {
  const text = requiredText(field, raw, MAX_URL_LENGTH);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badInput(field, `"${truncate(text)}" is not an absolute URL (expected https://example.com/webhooks).`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowPrivate)) {
    throw badInput(field, 'must be an https URL (plain http is allowed only to loopback and private addresses, with WEBHOOK_ALLOW_PRIVATE=true).');
  }
  if (url.username || url.password) {
    throw badInput(field, 'must not carry a user name or password: receivers check the signature instead.');
  }
  try {
    await resolveTarget(url, policy, AbortSignal.timeout(RESOLVE_TIMEOUT_MS));
  } catch (error) {
    if (error instanceof AddressRefused) throw badInput(field, error.message);
  }
  url.hash = '';
  return url.href;
}

/** SNAPSHOT is what a subscription starts with, never an event that happens: no webhook could carry one. */
const NOT_DELIVERED = new Set<EventType>([EventType.SNAPSHOT]);

/** At least one event type, each once. */
export function eventTypes(field: string, types: readonly EventType[]): EventType[] {
  const unique = [...new Set(types)];
  if (unique.length === 0) throw badInput(field, `must name at least one event type, e.g. [${EventType.RUN_COMPLETED}, ${EventType.RUN_FAILED}].`);
  const never = unique.find((type) => NOT_DELIVERED.has(type));
  if (never) throw badInput(field, `${never} is never delivered: it is what a subscription starts with, not an event.`);
  return unique;
}
