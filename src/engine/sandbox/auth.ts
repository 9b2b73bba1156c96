/**
 * `validate_auth` (`frappe/auth.py`), run for every /api request before routing: `token
 * key:secret` or `Basic base64(key:secret)`; only a header of exactly two space-separated parts
 * counts; with such a header the session may not stay Guest.
 */
import { FrappeError } from './errors.js';
import { text } from './doctypes/meta.js';
import { GUEST } from './permissions.js';
import type { Store } from './store.js';

/** The session user for an Authorization header (Guest when there is none), or the 400/401 error. */
export function authenticate(store: Store, header: string | undefined): string {
  const parts = (header ?? '').split(' ');
  if (parts.length !== 2) return GUEST;
  const [scheme = '', token = ''] = parts;
  const credentials = scheme.toLowerCase() === 'basic' ? decodeBasic(token) : scheme.toLowerCase() === 'token' ? token : '';
  // Python's `key, secret = credentials.split(":")` fails (swallowed) unless there are exactly two.
  const pair = credentials.split(':');
  const user = pair.length === 2 ? userFor(store, pair[0] ?? '', pair[1] ?? '') : undefined;
  if (!user) throw new FrappeError('AuthenticationError');
  return user;
}

/** `validate_api_key_secret`: unknown key or wrong secret → AuthenticationError (401). */
function userFor(store: Store, apiKey: string, apiSecret: string): string | undefined {
  if (!apiKey) return undefined;
  const user = store.find('User', (doc) => text(doc.api_key) === apiKey);
  if (!user || text(user.api_secret) !== apiSecret || !Number(user.enabled)) return undefined;
  return user.name;
}

/**
 * Python's lenient `base64.b64decode`: characters outside the alphabet are dropped, bad padding
 * is a `binascii.Error` → 400 InvalidAuthorizationToken. Bytes that are not UTF-8 fail later
 * (a swallowed ValueError) and end as 401.
 */
function decodeBasic(token: string): string {
  const cleaned = token.replace(/[^A-Za-z0-9+/=]/g, '');
  const data = cleaned.replace(/=+$/, '');
  const padding = cleaned.length - data.length;
  const missingPadding = (4 - (data.length % 4)) % 4;
  if (data.includes('=') || data.length % 4 === 1 || padding < missingPadding) {
    throw new FrappeError('InvalidAuthorizationToken', {
      exceptionText: 'Failed to decode token, please provide a valid base64-encoded token.',
    });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(data, 'base64'));
  } catch {
    return '';
  }
}
