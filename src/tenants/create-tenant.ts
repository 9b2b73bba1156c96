import type { EntityManager } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { countryName } from '../lib/countries.js';
import { AppError, isUniqueViolation } from '../lib/errors.js';
import * as check from '../lib/validation.js';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './auth/password.js';
import { EngineKind, UserRole } from './model.js';
import { Tenant } from './tenant.entity.js';
import { User } from './user.entity.js';

export interface NewTenant {
  name: string;
  adminEmail: string;
  adminName: string;
  adminPassword: string;
  countryCode: string;
  engine?: EngineKind;
  category?: string | null;
  description?: string | null;
}

/**
 * Runs the tenant's insert in a transaction; with autoStart, the one that also starts its
 * provisioning, so that both exist or neither does.
 */
export type TenantTransaction = (insert: (tx: EntityManager) => Promise<Tenant>) => Promise<Tenant>;

/** How many other slugs are tried when the one from the name is taken. */
const SLUG_ATTEMPTS = 5;

/** Validates the input before anything is written; each failure names its field. */
export function validateNewTenant(input: NewTenant): NewTenant {
  const countryCode = check.requiredText('countryCode', input.countryCode, 2).toUpperCase();
  if (!countryName(countryCode)) {
    throw check.badInput('countryCode', `"${check.truncate(input.countryCode)}" is not an ISO 3166-1 alpha-2 country code (e.g. KE, UG, US).`);
  }
  const adminPassword = input.adminPassword ?? '';
  if (adminPassword.length < PASSWORD_MIN_LENGTH || adminPassword.length > PASSWORD_MAX_LENGTH) {
    throw check.badInput('adminPassword', `must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long.`);
  }
  return {
    name: check.requiredText('name', input.name, 140),
    adminEmail: check.email('adminEmail', input.adminEmail),
    adminName: check.requiredText('adminName', input.adminName, 140),
    adminPassword,
    countryCode,
    engine: input.engine ?? EngineKind.ERPNEXT,
    category: check.optionalText('category', input.category, 140),
    description: check.optionalText('description', input.description, 2000),
  };
}

/**
 * Creates the tenant and its admin user. The slug comes from the name; a taken slug gets a
 * short random suffix rather than failing the request. Returns the new tenant's id.
 */
export async function createTenant(raw: NewTenant, transaction: TenantTransaction): Promise<string> {
  const input = validateNewTenant(raw);
  const passwordHash = await hashPassword(input.adminPassword);
  const base = slugify(input.name);
  for (let attempt = 0; ; attempt++) {
    const slug = attempt === 0 ? base : `${base}-${randomBytes(3).toString('hex')}`;
    try {
      const tenant = await transaction((tx) => insertTenant(tx, input, slug, passwordHash));
      return tenant.id;
    } catch (error) {
      if (isUniqueViolation(error, 'tenant_slug_key') && attempt < SLUG_ATTEMPTS) continue;
      if (isUniqueViolation(error, 'app_user_email_unique')) throw emailTaken(input.adminEmail);
      throw error;
    }
  }
}

async function insertTenant(tx: EntityManager, input: NewTenant, slug: string, passwordHash: string): Promise<Tenant> {
  if (await tx.count(User, { email: input.adminEmail })) throw emailTaken(input.adminEmail);
  const tenant = tx.create(Tenant, {
    name: input.name,
    slug,
    countryCode: input.countryCode,
    engine: input.engine,
    adminEmail: input.adminEmail,
    adminName: input.adminName,
    category: input.category,
    description: input.description,
  });
  tx.create(User, { email: input.adminEmail, passwordHash, role: UserRole.TENANT_ADMIN, tenant });
  // Written now: what follows in the same transaction (starting its provisioning) locks the row.
  await tx.flush();
  return tenant;
}

const emailTaken = (email: string) =>
  new AppError('CONFLICT', `adminEmail: a user with email ${email} already exists. Use another email for this tenant's admin.`, { field: 'adminEmail' });

export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return slug || 'tenant';
}
