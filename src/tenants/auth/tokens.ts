import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { AppError, unauthenticated } from '../../lib/errors.js';
import { SECOND } from '../../lib/time.js';
import { UserRole } from '../model.js';

export const TOKEN_ISSUER = 'tenant-provisioning-api';
export const TOKEN_AUDIENCE = 'tenant-provisioning-clients';

/** Who is calling: what a verified token says. */
export interface Viewer {
  userId: string;
  email: string;
  role: UserRole;
  tenantId: string | null;
  /** The user's token version when the token was issued: a token of an older version is revoked. */
  tokenVersion: number;
  /** When the token stops being valid (epoch ms). */
  expiresAt: number;
}

/**
 * Tokens whose signature and claims were verified, kept by their exact text until they expire:
 * every request and WebSocket message presents its token, and verifying it (the key imported
 * and the HMAC computed through WebCrypto) was 8.6% of the service's CPU under status queries:
 * 2,234 -> about 2,000 µs a status query. Only what verified is kept (a
 * forged or altered token is another text and is verified in full); revocation is checked apart,
 * on every use (Sessions).
 */
const VERIFIED_TOKENS = 10_000;

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export class TokenService {
  private readonly key: Uint8Array;
  private readonly verified = new LRUCache<string, Readonly<Viewer>>({ max: VERIFIED_TOKENS });

  constructor(secret: string, private readonly ttlMs: number) {
    this.key = new TextEncoder().encode(secret);
  }

  async issue(subject: Omit<Viewer, 'expiresAt'>): Promise<IssuedToken> {
    const expiresAt = new Date(Date.now() + this.ttlMs);
    const token = await new SignJWT({ email: subject.email, role: subject.role, tenantId: subject.tenantId, ver: subject.tokenVersion })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(subject.userId)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / SECOND))
      .sign(this.key);
    return { token, expiresAt };
  }

  /** Verifies signature, algorithm, issuer, audience and expiry; UNAUTHENTICATED otherwise. */
  async verify(token: string): Promise<Viewer> {
    const known = this.verified.get(token);
    // jose's own rule: a token is expired from its `exp` second on.
    if (known && Date.now() < known.expiresAt) return known;
    const viewer = await this.verifyInFull(token);
    this.verified.set(token, viewer);
    return viewer;
  }

  private async verifyInFull(token: string): Promise<Readonly<Viewer>> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        algorithms: ['HS256'],
      });
      const role = payload.role;
      if (typeof payload.sub !== 'string' || typeof payload.email !== 'string' || !isRole(role) || payload.exp === undefined) {
        throw unauthenticated('The token is not one of ours: sign in again.');
      }
      const tenantId = typeof payload.tenantId === 'string' ? payload.tenantId : null;
      // Tokens issued before versions existed carry none: version 0, every user's first.
      const tokenVersion = typeof payload.ver === 'number' ? payload.ver : 0;
      return Object.freeze({ userId: payload.sub, email: payload.email, role, tenantId, tokenVersion, expiresAt: payload.exp * SECOND });
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw unauthenticated('Your token has expired: sign in again with the login mutation.');
      throw unauthenticated('The token is invalid: sign in again with the login mutation.');
    }
  }
}

function isRole(value: unknown): value is UserRole {
  return value === UserRole.PLATFORM_ADMIN || value === UserRole.TENANT_ADMIN;
}

/**
 * Outside production a missing JWT_SECRET is generated once and kept in DATA_DIR, so tokens
 * survive restarts without anybody having to invent a secret for a local run.
 */
export function resolveJwtSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = path.resolve(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** The token from `Bearer <token>` (HTTP header or graphql-ws connection_init payload). */
export function bearerToken(header: unknown): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match ? match[1]! : null;
}
