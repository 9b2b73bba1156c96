import ipaddr from 'ipaddr.js';
import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface AddressPolicy {
  /** WEBHOOK_ALLOW_PRIVATE: loopback and private addresses allowed, and plain http to them. */
  allowPrivate: boolean;
}

/** Where any endpoint may point: public unicast (ipaddr.js names every special range otherwise). */
const PUBLIC = 'unicast';
/**
 * What WEBHOOK_ALLOW_PRIVATE adds: this machine and private networks. Never link-local (cloud
 * metadata services live at 169.254.169.254), multicast, unspecified, carrier-grade NAT,
 * reserved or translated (6to4, NAT64, Teredo) ranges: no receiver lives there.
 */
const PRIVATE = new Set(['loopback', 'private', 'uniqueLocal']);

/** The endpoint's address is one webhooks may not reach: never retried. */
export class AddressRefused extends Error {
  override readonly name = 'AddressRefused';
}

/** The URL's host and the addresses a request to it will connect to, every one of them allowed. */
export interface ResolvedTarget {
  url: URL;
  addresses: LookupAddress[];
}

/**
 * Resolves the URL's host now (an IP literal is taken as it is) and checks every address it
 * resolves to; the request then connects only to these (pinnedLookup), so a name that resolves
 * elsewhere a moment later (DNS rebinding) changes nothing.
 */
export async function resolveTarget(url: URL, policy: AddressPolicy, signal?: AbortSignal): Promise<ResolvedTarget> {
  const host = hostOf(url);
  const family = isIP(host);
  const addresses = family ? [{ address: host, family }] : await abortable(lookup(host, { all: true, verbatim: true }), signal);
  if (addresses.length === 0) throw Object.assign(new Error(`${host} resolves to no address`), { code: 'ENOTFOUND' });
  for (const { address } of addresses) checkAddress(url, address, policy);
  return { url, addresses };
}

export function checkAddress(url: URL, address: string, policy: AddressPolicy): void {
  const range = ipaddr.process(address).range();
  const privateAllowed = policy.allowPrivate && PRIVATE.has(range);
  const host = hostOf(url);
  // The address itself is not told: a caller must not map an internal network by its names.
  const where = `${host} ${host === address ? 'is' : 'resolves to'} a${/^[aeiou]/i.test(range) ? 'n' : ''} ${range} address`;
  if (url.protocol === 'http:' && !privateAllowed) {
    throw new AddressRefused(`plain http is allowed only to loopback and private addresses with WEBHOOK_ALLOW_PRIVATE=true (${where}); use https.`);
  }
  if (range !== PUBLIC && !privateAllowed) {
    const hint = PRIVATE.has(range) ? '; WEBHOOK_ALLOW_PRIVATE=true allows loopback and private addresses, for development' : '';
    throw new AddressRefused(`webhooks go to public addresses only (${where}${hint}).`);
  }
}

/** A `lookup` for node:http that answers with the checked addresses instead of asking DNS again. */
export function pinnedLookup(addresses: LookupAddress[]) {
  return (_hostname: string, options: { all?: boolean; family?: number | string }, callback: (...args: unknown[]) => void): void => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    const usable = family ? addresses.filter((entry) => entry.family === family) : addresses;
    if (usable.length === 0) return callback(Object.assign(new Error('no address of the requested family'), { code: 'ENOTFOUND' }));
    if (options.all) return callback(null, usable);
    callback(null, usable[0]!.address, usable[0]!.family);
  };
}

/** The hostname without the brackets of an IPv6 literal. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** getaddrinfo cannot be cancelled; the caller stops waiting for it. */
function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
