import type { CompanyDoc, CompanyInput, Ensured } from '../../port.js';
import { ensureDoc } from '../ensure.js';
import type { FrappeResources } from '../resources.js';

export function getCompany(resources: FrappeResources, name: string, signal?: AbortSignal): Promise<CompanyDoc | null> {
  return resources.get<CompanyDoc>('Company', name, signal);
}

/** Abbreviations are unique across companies (417 otherwise, §7.2), so check before creating. */
export function findCompanyByAbbr(resources: FrappeResources, abbr: string, signal?: AbortSignal): Promise<string | null> {
  return resources.firstName('Company', [['abbr', '=', abbr]], signal);
}

/**
 * Company is named by company_name (erpnext-api.md §7.1). Its insert creates the chart, warehouses, cost
 * centers and default accounts in the same transaction (§7.3); a duplicate is a 409 (§7.2).
 */
export function ensureCompany(
  resources: FrappeResources,
  input: CompanyInput,
  signal?: AbortSignal,
): Promise<Ensured<CompanyDoc>> {
  return ensureDoc<CompanyDoc>({
    find: () => getCompany(resources, input.companyName, signal),
    create: () =>
      resources.insert<CompanyDoc>(
        'Company',
        {
          company_name: input.companyName,
          abbr: input.abbr,
          default_currency: input.currency,
          country: input.country,
          create_chart_of_accounts_based_on: 'Standard Template',
          chart_of_accounts: input.chartOfAccounts,
        },
        signal,
      ),
  });
}
