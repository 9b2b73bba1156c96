import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/** Which hops may set X-Forwarded-For (TRUST_PROXY): none, all, the nearest N, or listed addresses/subnets. */
export type TrustProxy = false | true | number | string[];

export type TrustFunction = (address: string, hop: number) => boolean;

/** The same trust express applies to `req.ip` (`trust proxy`), as a function the WebSocket side can use too. */
export function trustFunction(trust: TrustProxy): TrustFunction {
  if (trust === true) return () => true;
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return proxyaddr.compile(trust);
}

/**
 * The caller's address: the socket's peer, or the nearest untrusted address of X-Forwarded-For
 * when the peer is a trusted proxy. Per-client limits (sign-in budget, sockets) count by it.
 */
export function clientAddressOf(request: IncomingMessage, trust: TrustFunction): string {
  if (!request.socket.remoteAddress) return 'unknown';
  return proxyaddr(request, trust);
}
