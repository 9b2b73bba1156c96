import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Viewer } from '../tenants/auth/tokens.js';

/** What every resolver gets: its own EntityManager fork, the verified caller, and a logger. */
export interface RequestContext {
  em: EntityManager;
  viewer: Viewer | null;
  requestId: string;
  log: Logger;
  /** Remote address of the caller, for per-client rate limits. */
  clientAddress: string;
}

/**
 * A context whose EntityManager fork and child logger are made on first use: a subscription
 * lives for hours and touches neither on most of its events, and 5,000 of them each holding a
 * fork of its own is memory for nothing.
 */
export function lazyRequestContext(input: {
  forkEm: () => EntityManager;
  log: Logger;
  logBindings: Record<string, unknown>;
  viewer: Viewer | null;
  requestId: string;
  clientAddress: string;
}): RequestContext {
  let em: EntityManager | undefined;
  let log: Logger | undefined;
  return {
    get em() {
      return (em ??= input.forkEm());
    },
    get log() {
      return (log ??= input.log.child(input.logBindings));
    },
    viewer: input.viewer,
    requestId: input.requestId,
    clientAddress: input.clientAddress,
  };
}
