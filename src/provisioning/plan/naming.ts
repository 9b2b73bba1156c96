import { createHash } from 'node:crypto';
import type { TenantFacts } from './step-definition.js';

/**
 * Engine names derived from the tenant, deterministically, so that a retry or a resumed run
 * computes the same names and finds what an earlier attempt created.
 */

/** Hex digits of the tenant id's hash in each abbreviation candidate, shortest first. */
const ABBR_HASH_LENGTHS = [4, 6, 8, 12];

/**
 * Company abbreviations to try, in order: initials of the name (up to 4) plus 4, 6, 8 or 12
 * hex digits of a hash of the tenant id. The short one reads well in account names
 * ("Cash - MM3F2B"); on a shared site with thousands of tenants two short ones collide now and
 * then (ERPNext refuses a used abbreviation), and the next candidate is taken instead. Always
 * the same list for a tenant, so a retry recognises the company it made.
 */
export function companyAbbrCandidates(tenant: Pick<TenantFacts, 'id' | 'name'>): string[] {
  const initials = tenant.name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9 ]/g, '')
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase())
    .join('')
    .slice(0, 4);
  const hash = createHash('sha256').update(tenant.id).digest('hex').toUpperCase();
  return ABBR_HASH_LENGTHS.map((length) => `${initials || 'T'}${hash.slice(0, length)}`);
}

export const companyName = (tenant: Pick<TenantFacts, 'name'>) => tenant.name;
export const mainWarehouseName = 'Main Store';
export const posWarehouseName = 'POS Store';
/** Customers are site-wide in ERPNext: the company suffix keeps each tenant's walk-in its own. */
export const walkInCustomerName = (abbr: string) => `Walk-In Customer - ${abbr}`;
export const posProfileName = (company: string) => `${company} POS`;
export const demoItemCode = (abbr: string, n: number) => `${abbr}-DEMO-${String(n).padStart(3, '0')}`;
