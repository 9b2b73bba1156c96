import type { EntityManager } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { isUniqueViolation } from '../../lib/errors.js';
import { UserRole } from '../model.js';
import { User } from '../user.entity.js';
import { hashPassword, PASSWORD_MAX_LENGTH } from './password.js';

/**
 * Makes sure the platform admin named by ADMIN_EMAIL exists. An existing user keeps its
 * password: rotating it is a deliberate act, not a side effect of a restart.
 */
export async function bootstrapPlatformAdmin(em: EntityManager, log: Logger, email?: string, password?: string): Promise<void> {
  if (!email || !password) {
    log.warn('ADMIN_EMAIL / ADMIN_PASSWORD are not set: no platform admin was bootstrapped, so nobody can sign in yet');
    return;
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    // login refuses longer passwords, so such an admin could never sign in.
    throw new Error(`ADMIN_PASSWORD is too long: use at most ${PASSWORD_MAX_LENGTH} characters.`);
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

export const DEVELOPMENT_ADMIN_EMAIL = 'admin@localhost';

/**
 * Outside production, a first `npm start` must be usable without any set-up: with no
 * ADMIN_EMAIL/ADMIN_PASSWORD, the admin is admin@localhost with a generated password kept in
 * DATA_DIR/admin-password (mode 600). The log names the file, never the password.
 */
export function developmentAdminCredentials(dataDir: string, log: Logger): { email: string; password: string } {
  const file = path.resolve(dataDir, 'admin-password');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(18).toString('base64url'), { mode: 0o600 });
  }
  log.info({ email: DEVELOPMENT_ADMIN_EMAIL, passwordFile: file }, 'development admin: sign in with this email and the password in the file');
  return { email: DEVELOPMENT_ADMIN_EMAIL, password: readFileSync(file, 'utf8').trim() };
}
