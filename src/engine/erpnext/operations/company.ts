import type { CompanyDoc, CompanyInput, DeprovisionResult, Ensured } from '../../port.js';
import { removeDoc } from '../deprovision.js';
import { ensureDoc } from '../ensure.js';
import type { FrappeResources } from '../resources.js';

export function getCompany(resources: FrappeResources, name: string, signal?: AbortSignal): Promise<CompanyDoc | null> {
  return resources.get<CompanyDoc>('Company', name, signal);
}

/** Abbreviations are unique across companies (417 otherwise), so check before creating. */
export function findCompanyByAbbr(resources: FrappeResources, abbr: string, signal?: AbortSignal): Promise<string | null> {
  return resources.firstName('Company', [['abbr', '=', abbr]], signal);
}

/**
 * Company is named by company_name. Its insert creates the chart, warehouses, cost
 * centers and default accounts in the same transaction; a duplicate is a 409.
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

/** The ledgers `Company.on_trash` looks at before it deletes accounts and warehouses. */
const LEDGERS = ['GL Entry', 'Stock Ledger Entry'] as const;

/**
 * ERPNext's `Company.on_trash` deletes the company's own accounts, cost centers, warehouses,
 * departments and tax templates, except that accounts stay while a GL Entry refers to the company
 * and warehouses while a Stock Ledger Entry does; those then refuse the delete as linked documents
 * (`company.py` on_trash, `delete_doc.check_if_doc_is_linked`). So a company with transactions is
 * kept. The ledgers are looked at first, so the reason names them rather than the first account
 * left behind; erasing a tenant's transactions (`Transaction Deletion Record`) is a person's call.
 */
export async function removeCompany(resources: FrappeResources, name: string, signal?: AbortSignal): Promise<DeprovisionResult> {
  for (const ledger of LEDGERS) {
    const entry = await resources.firstName(ledger, [['company', '=', name]], signal);
    if (entry !== null) return { name, outcome: 'kept', reason: `it has transactions: ${ledger} ${entry} refers to it` };
  }
  return removeDoc(resources, 'Company', name, signal);
}
