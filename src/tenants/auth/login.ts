import type { EntityManager } from '@mikro-orm/postgresql';
import { unauthenticated } from '../../lib/errors.js';
import { badInput, EMAIL_MAX_LENGTH, requiredText } from '../../lib/validation.js';
import { User } from '../user.entity.js';
import type { LoginRateLimiter } from './login-rate-limiter.js';
import { DECOY_HASH_PROMISE, PASSWORD_MAX_LENGTH, verifyPassword } from './password.js';
import type { IssuedToken, TokenService } from './tokens.js';

export interface LoginResult extends IssuedToken {
  user: User;
}

const WRONG_CREDENTIALS = 'Email or password is wrong. Check both and try again.';

/** The same answer, and the same work, for an unknown email and a wrong password. */
export async function login(
  deps: { em: EntityManager; tokens: TokenService; limiter: LoginRateLimiter },
  input: { email: string; password: string; client: string },
): Promise<LoginResult> {
  // Lengths are checked before anything else: a megabyte "password" must not reach scrypt.
  const email = requiredText('email', input.email, EMAIL_MAX_LENGTH).toLowerCase();
  if (input.password.length > PASSWORD_MAX_LENGTH) throw badInput('password', `must be at most ${PASSWORD_MAX_LENGTH} characters.`);
  await deps.limiter.take(email, input.client);
  const user = await deps.em.findOne(User, { email }, { populate: ['passwordHash'] });
  const valid = await verifyPassword(input.password, user?.passwordHash ?? (await DECOY_HASH_PROMISE));
  if (!user || !valid) throw unauthenticated(WRONG_CREDENTIALS);
  await deps.limiter.refund(email, input.client);
  const issued = await deps.tokens.issue({
    userId: user.id,
    email: user.email,
    role: user.role,
    tenantId: user.tenant?.id ?? null,
    tokenVersion: user.tokenVersion,
  });
  return { ...issued, user };
}
