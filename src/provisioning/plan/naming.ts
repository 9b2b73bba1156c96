import { createHash } from 'node:crypto';
import type { TenantFacts } from './step-definition.js';

/**
 * Engine names derived from the tenant, deterministically, so that a retry or a resumed run
 * computes the same names and finds what an earlier attempt created.
 */

/** Initials of the name (up to 4) plus 4 hex digits of the tenant id: unique on a shared site. */
export function companyAbbr(tenant: Pick<TenantFacts, 'id' | 'name'>): string {
  const initials = tenant.name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9 ]/g, '')
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase())
    .join('')
    .slice(0, 4);
  const suffix = createHash('sha256').update(tenant.id).digest('hex').slice(0, 4).toUpperCase();
  return `${initials || 'T'}${suffix}`;
}

export const companyName = (tenant: Pick<TenantFacts, 'name'>) => tenant.name;
export const mainWarehouseName = 'Main Store';
export const posWarehouseName = 'POS Store';
/** Customers are site-wide in ERPNext: the company suffix keeps each tenant's walk-in its own. */
export const walkInCustomerName = (abbr: string) => `Walk-In Customer - ${abbr}`;
export const posProfileName = (company: string) => `${company} POS`;
export const demoItemCode = (abbr: string, n: number) => `${abbr}-DEMO-${String(n).padStart(3, '0')}`;
