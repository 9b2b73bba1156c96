import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { badInput, isUuid } from '../lib/validation.js';
import type { Viewer } from './auth/tokens.js';
import { UserRole } from './model.js';
import { Tenant } from './tenant.entity.js';

export const MAX_PAGE_SIZE = 200;

export interface TenantPage {
  tenants: Tenant[];
  hasNextPage: boolean;
  totalCount: number;
}

/**
 * Keyset pagination in creation order: a cursor is the (createdAt, id) of the last row seen,
 * so pages stay stable while tenants are being created.
 */
export async function listTenants(
  em: EntityManager,
  viewer: Viewer,
  args: { where?: FilterQuery<Tenant>; first: number; after?: string | null },
): Promise<TenantPage> {
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_PAGE_SIZE) {
    throw badInput('first', `must be between 1 and ${MAX_PAGE_SIZE}.`);
  }
  // A tenant admin sees its own tenant, whatever else is asked.
  const visible: FilterQuery<Tenant> = viewer.role === UserRole.PLATFORM_ADMIN ? {} : { id: viewer.tenantId ?? '00000000-0000-0000-0000-000000000000' };
  const scope: FilterQuery<Tenant> = { $and: [visible, args.where ?? {}] };

  const where: FilterQuery<Tenant> = { $and: [scope] };
  if (args.after) {
    const { createdAt, id } = decodeCursor(args.after);
    where.$and!.push({ $or: [{ createdAt: { $gt: createdAt } }, { createdAt, id: { $gt: id } }] });
  }
  const [rows, totalCount] = await Promise.all([
    em.find(Tenant, where, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: args.first + 1 }),
    em.count(Tenant, scope),
  ]);
  return { tenants: rows.slice(0, args.first), hasNextPage: rows.length > args.first, totalCount };
}

export function encodeCursor(tenant: Tenant): string {
  return Buffer.from(`${tenant.createdAt.toISOString()}|${tenant.id}`).toString('base64url');
}

/** Ours are about 100 characters; anything much longer is not one. */
const MAX_CURSOR_LENGTH = 200;

/** A cursor comes from the client, so every part is checked before it reaches SQL. */
function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const notOurs = badInput('after', 'is not a cursor from this API: pass pageInfo.endCursor of the previous page.');
  if (cursor.length > MAX_CURSOR_LENGTH) throw notOurs;
  const [iso, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (!isUuid(id) || rest.length > 0 || Number.isNaN(createdAt.getTime())) throw notOurs;
  return { createdAt, id };
}
