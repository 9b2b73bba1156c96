import pRetry, { type Options } from 'p-retry';
import { toError } from './errors.js';

/**
 * p-retry, with whatever the attempt throws made an Error of this realm first: p-retry never
 * retries a thrown non-Error, and a socket error from Node itself is one, seen from Jest's VM
 * modules.
 */
export function retry<T>(attempt: () => Promise<T>, options: Options): Promise<T> {
  return pRetry(() => attempt().catch((thrown: unknown) => Promise.reject(toError(thrown))), options);
}
