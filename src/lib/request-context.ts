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
