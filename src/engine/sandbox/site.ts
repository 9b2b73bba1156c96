/**
 * One sandbox site: its documents, clock, faults and settings. `reset()` brings the documents
 * back to the seed and clears the faults.
 */
import { Clock, serialise, type Doc } from './document.js';
import { RequestScope } from './documents.js';
import { DOCTYPES } from './doctypes/registry.js';
import { FaultInjector } from './faults.js';
import { ADMINISTRATOR } from './permissions.js';
import { seedSite, type SeedCredentials } from './seed.js';
import { Store } from './store.js';

export interface SiteSettings {
  /** Base URL, for links in messages; known once the server listens. */
  siteUrl: string;
  openEntryRules: boolean;
  /** System Settings `allow_error_traceback`: adds `exception`/`exc` to error bodies. */
  allowErrorTraceback: boolean;
}

export class Site {
  readonly store = new Store();
  readonly clock = new Clock();
  readonly faults = new FaultInjector();

  constructor(
    readonly settings: SiteSettings,
    private readonly credentials: SeedCredentials,
  ) {
    this.reset();
  }

  scope(user: string): RequestScope {
    return new RequestScope(this.store, this.clock, this.settings, user);
  }

  reset(): void {
    this.store.clear();
    this.faults.clear();
    this.store.transaction(() => seedSite(this.scope(ADMINISTRATOR), this.credentials));
  }

  /** `GET /__sandbox/state`: every doctype the sandbox serves, each with its documents as the API shows them. */
  state(): Record<string, Doc[]> {
    const state: Record<string, Doc[]> = {};
    for (const doctype of DOCTYPES.keys()) state[doctype] = this.store.all(doctype).map(serialise);
    return state;
  }
}
