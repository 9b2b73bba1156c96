import { SignJWT } from 'jose';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/tenants/auth/tokens.js';

/** The suites start their service with this secret, so they can forge tokens the way an attacker would try. */
export const TEST_JWT_SECRET = 'security-suite-jwt-secret-0123456789abcdef';
const OTHER_SECRET = 'some-other-service-secret-0123456789abcdef';

interface SignOptions {
  secret?: string;
  alg?: 'HS256' | 'HS512';
  issuer?: string;
  audience?: string;
  /** Epoch seconds; null for a token without expiry. */
  exp?: number | null;
  claims?: Record<string, unknown>;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

export function signToken(subject: string, options: SignOptions = {}): Promise<string> {
  const { secret = TEST_JWT_SECRET, alg = 'HS256', issuer = TOKEN_ISSUER, audience = TOKEN_AUDIENCE, exp = nowSeconds() + 3600 } = options;
  const claims = options.claims ?? { email: 'admin@platform.test', role: 'PLATFORM_ADMIN', tenantId: null };
  const jwt = new SignJWT(claims).setProtectedHeader({ alg }).setSubject(subject).setIssuer(issuer).setAudience(audience).setIssuedAt();
  if (exp !== null) jwt.setExpirationTime(exp);
  return jwt.sign(new TextEncoder().encode(secret));
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

export const FORGED_TOKEN_NAMES = [
  'signed with another secret',
  'expired an hour ago',
  'from another issuer',
  'for another audience',
  'unsigned (alg none)',
  'signed with HS512 instead of HS256',
  'a tenant admin token with its role raised',
  'without a role claim',
  'without an expiry',
  'not a JWT at all',
] as const;

export type ForgedTokenName = (typeof FORGED_TOKEN_NAMES)[number];

/**
 * Tokens that must all be refused, each claiming to be the platform admin `subject`.
 * `genuine` is a real token of a tenant admin, used to tamper with.
 */
export async function forgedTokens(subject: string, genuine: string): Promise<Record<ForgedTokenName, string>> {
  const [header, payload, signature] = genuine.split('.');
  const raised = { ...JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')), role: 'PLATFORM_ADMIN', tenantId: null };
  const unsignedClaims = { sub: subject, role: 'PLATFORM_ADMIN', email: 'x@y.z', iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, exp: nowSeconds() + 3600 };
  return {
    'signed with another secret': await signToken(subject, { secret: OTHER_SECRET }),
    'expired an hour ago': await signToken(subject, { exp: nowSeconds() - 3600 }),
    'from another issuer': await signToken(subject, { issuer: 'someone-else' }),
    'for another audience': await signToken(subject, { audience: 'another-app' }),
    'unsigned (alg none)': `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(unsignedClaims)}.`,
    'signed with HS512 instead of HS256': await signToken(subject, { alg: 'HS512' }),
    'a tenant admin token with its role raised': `${header}.${base64url(raised)}.${signature}`,
    'without a role claim': await signToken(subject, { claims: { email: 'admin@platform.test' } }),
    'without an expiry': await signToken(subject, { exp: null }),
    'not a JWT at all': 'not-a-jwt',
  };
}
