import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { isUniqueViolation } from '../../lib/errors.js';
import { User, UserRole } from '../user.entity.js';
import { hashPassword } from './password.js';

/**
 * Makes sure the platform admin named by ADMIN_EMAIL exists. An existing user keeps its
 * password: rotating it is a deliberate act, not a side effect of a restart.
 */
export async function bootstrapPlatformAdmin(em: EntityManager, log: Logger, email?: string, password?: string): Promise<void> {
  if (!email || !password) {
    log.warn('ADMIN_EMAIL / ADMIN_PASSWORD are not set: no platform admin was bootstrapped, so nobody can sign in yet');
    return;
  }
  const normalized = email.trim().toLowerCase();
  if (await em.findOne(User, { email: normalized })) return;
  const user = em.create(User, { email: normalized, passwordHash: await hashPassword(password), role: UserRole.PLATFORM_ADMIN });
  try {
    await em.persist(user).flush();
    log.info({ email: normalized }, 'platform admin bootstrapped');
  } catch (error) {
    // Another replica bootstrapped the same admin at the same moment.
    if (!isUniqueViolation(error)) throw error;
  }
}
