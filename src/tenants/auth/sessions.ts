import type { EntityManager } from '@mikro-orm/postgresql';
import { unauthenticated } from '../../lib/errors.js';
import { SECOND } from '../../lib/time.js';
import type { TokenService, Viewer } from './tokens.js';

/**
 * How long one user's token version is reused before it is read again: every request and every
 * WebSocket message checks it, and a revocation (password change, user removed) reaches every
 * replica within this time, at one indexed lookup per user per period.
 */
export const REVOCATION_CACHE_MS = 2 * SECOND;
/** Entries kept before expired ones are swept (one per user seen within the cache time). */
const CACHE_SWEEP_SIZE = 10_000;

const REVOKED = 'This token was revoked (the password changed or the user was removed): sign in again with the login mutation.';

/** Signed tokens plus the database's word that they still stand. */
export class Sessions {
  private readonly versions = new Map<string, { version: number | null; until: number }>();
  /** Lookups in flight: concurrent requests of one user share one query. */
  private readonly loading = new Map<string, Promise<number | null>>();

  constructor(
    private readonly tokens: TokenService,
    private readonly em: EntityManager,
    private readonly cacheMs = REVOCATION_CACHE_MS,
  ) {}

  /** The caller of a token: signature, expiry and revocation checked; UNAUTHENTICATED otherwise. */
  async authenticate(token: string): Promise<Viewer> {
    const viewer = await this.tokens.verify(token);
    if (!(await this.isCurrent(viewer))) throw unauthenticated(REVOKED);
    return viewer;
  }

  /** False once the user is gone or its token version moved past the token's. */
  async isCurrent(viewer: Viewer): Promise<boolean> {
    return (await this.currentVersion(viewer.userId)) === viewer.tokenVersion;
  }

  /** Drops what this process remembers of a user it just changed; other replicas follow within the cache time. */
  forget(userId: string): void {
    this.versions.delete(userId);
  }

  private async currentVersion(userId: string): Promise<number | null> {
    const cached = this.versions.get(userId);
    if (cached && cached.until > Date.now()) return cached.version;
    let pending = this.loading.get(userId);
    if (!pending) {
      pending = this.load(userId).finally(() => this.loading.delete(userId));
      this.loading.set(userId, pending);
    }
    try {
      return await pending;
    } catch (error) {
      // The database is unreachable: the last answer stands until it is back, so an outage
      // does not sign everybody out; never-seen users are refused (the error propagates).
      if (cached) return cached.version;
      throw error;
    }
  }

  private async load(userId: string): Promise<number | null> {
    const rows = await this.em.fork().getConnection().execute<Array<{ token_version: number }>>('select token_version from app_user where id = ?', [userId]);
    const version = rows[0]?.token_version ?? null;
    const now = Date.now();
    if (this.versions.size >= CACHE_SWEEP_SIZE) {
      for (const [id, entry] of this.versions) if (entry.until <= now) this.versions.delete(id);
    }
    this.versions.set(userId, { version, until: now + this.cacheMs });
    return version;
  }
}
