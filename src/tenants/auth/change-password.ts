import type { EntityManager } from '@mikro-orm/postgresql';
import { unauthenticated } from '../../lib/errors.js';
import { badInput } from '../../lib/validation.js';
import { User } from '../user.entity.js';
import type { LoginRateLimiter } from './login-rate-limiter.js';
import type { LoginResult } from './login.js';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, verifyPassword } from './password.js';
import type { TokenService, Viewer } from './tokens.js';

/**
 * Sets a new password after checking the current one, and bumps the user's token version in the
 * same statement: every token issued before (this one too) stops working, the returned one works.
 * Guesses of the current password spend the same budget as sign-in attempts.
 */
export async function changePassword(
  deps: { em: EntityManager; tokens: TokenService; limiter: LoginRateLimiter },
  input: { viewer: Viewer; currentPassword: string; newPassword: string; client: string },
): Promise<LoginResult> {
  const { viewer, currentPassword, newPassword } = input;
  if (currentPassword.length > PASSWORD_MAX_LENGTH) throw badInput('currentPassword', `must be at most ${PASSWORD_MAX_LENGTH} characters.`);
  if (newPassword.length < PASSWORD_MIN_LENGTH || newPassword.length > PASSWORD_MAX_LENGTH) {
    throw badInput('newPassword', `must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long.`);
  }
  await deps.limiter.take(viewer.email, input.client);
  const user = await deps.em.findOne(User, { id: viewer.userId }, { populate: ['passwordHash', 'tenant'] });
  if (!user) throw unauthenticated('This user no longer exists: sign in again.');
  if (!(await verifyPassword(currentPassword, user.passwordHash))) throw badInput('currentPassword', 'is wrong. Enter the password you signed in with.');
  await deps.limiter.refund(viewer.email, input.client);
  const rows = await deps.em
    .getConnection()
    .execute<Array<{ token_version: number }>>('UPDATE app_user SET password_hash = ?, token_version = token_version + 1 WHERE id = ? RETURNING token_version', [
      await hashPassword(newPassword),
      user.id,
    ]);
  const tokenVersion = rows[0]?.token_version;
  if (tokenVersion === undefined) throw unauthenticated('This user no longer exists: sign in again.');
  const issued = await deps.tokens.issue({ userId: user.id, email: user.email, role: user.role, tenantId: user.tenant?.id ?? null, tokenVersion });
  return { ...issued, user };
}
