import { EngineError } from '../../errors.js';
import type { FrappeResources } from '../resources.js';

const LOGGED_USER_METHOD = 'frappe.auth.get_logged_user';

/** Liveness only: sent without credentials, because a bad token turns even ping into 401. */
export async function ping(resources: FrappeResources, signal?: AbortSignal): Promise<void> {
  await resources.call('ping', { authenticated: false, signal });
}

/** The user our API key belongs to; a wrong key or secret is a 401 here. */
export async function loggedUser(resources: FrappeResources, signal?: AbortSignal): Promise<string> {
  const user = await resources.call(LOGGED_USER_METHOD, { signal });
  if (typeof user !== 'string' || user === '') {
    const operation = `GET /api/method/${LOGGED_USER_METHOD}`;
    throw new EngineError('ENGINE_BAD_RESPONSE', `${operation} answered without a user name`, { operation });
  }
  return user;
}
