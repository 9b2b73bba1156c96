import { EngineError, isEngineError } from '../../errors.js';
import type { AccountRow, ChartResult } from '../../port.js';
import { STANDARD_CHART, STANDARD_CHART_NAMES, type ChartAccount } from '../../standard-chart.js';
import type { FrappeResources } from '../resources.js';

const ACCOUNT_FIELDS = ['name', 'account_name', 'is_group', 'root_type', 'account_type', 'parent_account'];

/** Every account of the company: `limit 0`, since the default page of 20 would cut the chart. */
export function listAccounts(resources: FrappeResources, company: string, signal?: AbortSignal): Promise<AccountRow[]> {
  return resources.list<AccountRow & Record<string, unknown>>(
    'Account',
    { filters: [['company', '=', company]], fields: ACCOUNT_FIELDS, limit: 0 },
    signal,
  );
}

/**
 * Creates the accounts of the Standard chart the company lacks, parents before children.
 * Accounts are matched by `account_name`, not by name, because "Standard with Numbers" prefixes
 * names with numbers; parents are linked by the name the engine actually holds.
 */
export async function ensureChartOfAccounts(
  resources: FrappeResources,
  company: string,
  abbr: string,
  template: string,
  signal?: AbortSignal,
): Promise<ChartResult> {
  const chart = chartFor(template);
  const existing = await listAccounts(resources, company, signal);
  const nameByAccountName = new Map(existing.map((row) => [row.account_name, row.name]));
  let created = 0;
  let foundOnCreate = 0;
  // STANDARD_CHART lists parents before children, so each parent is in the map when needed.
  for (const account of chart) {
    if (nameByAccountName.has(account.accountName)) continue;
    const parentName = account.parentAccountName === null ? null : nameByAccountName.get(account.parentAccountName);
    const outcome = await createAccount(resources, { company, abbr, account, parentName }, signal);
    nameByAccountName.set(account.accountName, outcome.name);
    if (outcome.created) created += 1;
    else foundOnCreate += 1;
  }
  return { accounts: existing.length + created + foundOnCreate, created };
}

function chartFor(template: string): readonly ChartAccount[] {
  if ((STANDARD_CHART_NAMES as readonly string[]).includes(template)) return STANDARD_CHART;
  throw new EngineError(
    'ENGINE_VALIDATION',
    `Chart of accounts template "${template}" is not supported: use one of ${STANDARD_CHART_NAMES.join(', ')}`,
  );
}

interface NewAccount {
  company: string;
  abbr: string;
  account: ChartAccount;
  parentName: string | null | undefined;
}

/** A 409 means the account is already there (a lost response after commit): not created by us. */
async function createAccount(
  resources: FrappeResources,
  { company, abbr, account, parentName }: NewAccount,
  signal?: AbortSignal,
): Promise<{ name: string; created: boolean }> {
  try {
    const doc = await resources.insert('Account', accountDoc(company, account, parentName), signal);
    return { name: doc.name, created: true };
  } catch (error) {
    if (isEngineError(error) && error.code === 'ENGINE_DUPLICATE') {
      return { name: `${account.accountName} - ${abbr}`, created: false };
    }
    throw error;
  }
}

function accountDoc(
  company: string,
  account: ChartAccount,
  parentName: string | null | undefined,
): Record<string, unknown> {
  return {
    account_name: account.accountName,
    company,
    ...(parentName ? { parent_account: parentName } : {}),
    is_group: account.isGroup ? 1 : 0,
    root_type: account.rootType,
    report_type: account.reportType,
    ...(account.accountType ? { account_type: account.accountType } : {}),
  };
}
