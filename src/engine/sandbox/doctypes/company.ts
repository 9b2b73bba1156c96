/**
 * Company (erpnext `setup/doctype/company/company.py`): named by `company_name`, unique `abbr`,
 * and an insert that fans out (`on_update`) into the chart of accounts, warehouses, cost centers,
 * tax templates, departments, default accounts, the Cash mode-of-payment account and the enabled
 * currency, all in the request's transaction.
 */
import { STANDARD_CHART, STANDARD_CHART_NAMES } from '../../standard-chart.js';
import { cloneDoc, type Doc } from '../document.js';
import { FrappeError, frappeThrow } from '../errors.js';
import { isBlank, nameFromField, rows, text, type DocContext, type DocTypeDef, type FieldMeta } from './meta.js';
import { ALL_DEPARTMENTS } from './masters.js';
import { ACCOUNTS_MANAGER, ACCOUNTS_USER, ALL, SYSTEM_MANAGER } from './roles.js';

const HOOK = { ignorePermissions: true } as const;

/** `country_wise_tax.json` entries for the countries the sandbox knows. */
const COUNTRY_TAXES: Readonly<Record<string, { title: string; accountName: string; rate: number }>> = {
  Kenya: { title: 'Kenya Tax', accountName: 'VAT', rate: 16 },
  Uganda: { title: 'Uganda Tax', accountName: 'VAT', rate: 18 },
};

const DEPARTMENTS = [
  'Accounts',
  'Marketing',
  'Sales',
  'Purchase',
  'Operations',
  'Production',
  'Dispatch',
  'Customer Service',
  'Human Resources',
  'Management',
  'Quality Management',
  'Research & Development',
  'Legal',
] as const;

/** `create_default_warehouses`: the root group, then four children of it. */
const WAREHOUSES = [
  { warehouse_name: 'All Warehouses', is_group: 1 },
  { warehouse_name: 'Stores', is_group: 0 },
  { warehouse_name: 'Work In Progress', is_group: 0 },
  { warehouse_name: 'Finished Goods', is_group: 0 },
  { warehouse_name: 'Goods In Transit', is_group: 0, warehouse_type: 'Transit' },
] as const;

type AccountPick = (account: Doc) => boolean;
const byType = (accountType: string): AccountPick => (account) => account.account_type === accountType;
const byName = (...names: string[]): AccountPick => (account) => names.includes(text(account.account_name));

/** `set_default_accounts`: company field → which leaf account fills it. */
const DEFAULT_ACCOUNTS: ReadonlyArray<readonly [string, AccountPick, 'perpetual'?]> = [
  ['default_cash_account', byType('Cash')],
  ['default_bank_account', byType('Bank')],
  ['round_off_account', byType('Round Off')],
  ['accumulated_depreciation_account', byType('Accumulated Depreciation')],
  ['depreciation_expense_account', byType('Depreciation')],
  ['capital_work_in_progress_account', byType('Capital Work in Progress')],
  ['asset_received_but_not_billed', byType('Asset Received But Not Billed')],
  ['default_expense_account', byType('Cost of Goods Sold')],
  ['stock_received_but_not_billed', byType('Stock Received But Not Billed'), 'perpetual'],
  ['default_inventory_account', byType('Stock'), 'perpetual'],
  ['stock_adjustment_account', byType('Stock Adjustment'), 'perpetual'],
  ['default_income_account', byName('Sales', 'Sales Account')],
  ['write_off_account', byName('Write Off')],
  ['exchange_gain_loss_account', byName('Exchange Gain/Loss')],
  ['disposal_account', byName('Gain/Loss on Asset Disposal')],
];

const accountField = (label: string): FieldMeta => ({ label, link: 'Account' });
const costCenterField = (label: string): FieldMeta => ({ label, link: 'Cost Center' });

export const COMPANY: DocTypeDef = {
  name: 'Company',
  fields: {
    company_name: { label: 'Company', reqd: true },
    abbr: { label: 'Abbr', reqd: true, setOnlyOnce: true },
    default_currency: { label: 'Default Currency', link: 'Currency', reqd: true },
    country: { label: 'Country', link: 'Country', reqd: true },
    parent_company: { label: 'Parent Company', link: 'Company' },
    existing_company: { label: 'Existing Company', link: 'Company' },
    create_chart_of_accounts_based_on: {
      label: 'Create Chart Of Accounts Based On',
      options: ['', 'Standard Template', 'Existing Company'],
    },
    enable_perpetual_inventory: { label: 'Enable Perpetual Inventory', default: 1 },
    is_group: { label: 'Is Group', default: 0 },
    default_receivable_account: accountField('Default Receivable Account'),
    default_payable_account: accountField('Default Payable Account'),
    ...Object.fromEntries(DEFAULT_ACCOUNTS.map(([field]) => [field, accountField(field)])),
    cost_center: costCenterField('Default Cost Center'),
    round_off_cost_center: costCenterField('Round Off Cost Center'),
    depreciation_cost_center: costCenterField('Asset Depreciation Cost Center'),
  },
  permissions: { read: [ACCOUNTS_USER, ALL], write: [SYSTEM_MANAGER, ACCOUNTS_MANAGER] },
  autoname: nameFromField('company_name'),
  validate: validateCompany,
  onUpdate: createCompanyRecords,
  onTrash: deleteCompanyRecords,
};

/** `company.py` validate. */
function validateCompany(doc: Doc, ctx: DocContext): void {
  // validate_abbr: initials of the name when empty; unique among the *other* companies.
  if (isBlank(doc.abbr)) {
    doc.abbr = text(doc.company_name)
      .split(/\s+/)
      .filter(Boolean)
      .map((word) => word[0])
      .join('')
      .toUpperCase();
  }
  doc.abbr = text(doc.abbr).trim();
  if (!doc.abbr) throw frappeThrow('Abbreviation is mandatory');
  const abbr = text(doc.abbr).toLowerCase();
  if (ctx.store.find('Company', (other) => other.name !== doc.name && text(other.abbr).toLowerCase() === abbr)) {
    throw frappeThrow('Abbreviation already used for another company');
  }
  // validate_coa_input
  if (doc.create_chart_of_accounts_based_on === 'Existing Company') {
    doc.chart_of_accounts = null;
    if (isBlank(doc.existing_company)) throw frappeThrow('Please select Existing Company for creating Chart of Accounts');
  } else {
    doc.create_chart_of_accounts_based_on = 'Standard Template';
    if (isBlank(doc.chart_of_accounts)) doc.chart_of_accounts = 'Standard';
  }
  if (!isBlank(doc.parent_company) && !Number(ctx.store.get('Company', text(doc.parent_company))?.is_group)) {
    throw frappeThrow('Parent Company must be a group company');
  }
  // validate_default_accounts: a default account must belong to this company.
  for (const [field] of DEFAULT_ACCOUNTS) {
    const account = isBlank(doc[field]) ? undefined : ctx.store.get('Account', text(doc[field]));
    if (account && account.company !== doc.name) {
      throw frappeThrow(`Account ${account.name} does not belong to company: ${doc.name}`);
    }
  }
  if (isBlank(doc.reporting_currency)) doc.reporting_currency = doc.default_currency;
}

/** `company.py` on_update, in ERPNext's order; each step only when still missing. */
function createCompanyRecords(company: Doc, ctx: DocContext): void {
  const abbr = text(company.abbr);
  const ofCompany = (doctype: string): Doc[] => ctx.store.ofCompany(doctype, company.name);
  let countryChange = false;
  if (ofCompany('Account').length === 0) {
    countryChange = true;
    createChart(company, ctx);
    const leaves = ofCompany('Account').filter((account) => !Number(account.is_group));
    company.default_receivable_account = leaves.find(byType('Receivable'))?.name ?? null;
    company.default_payable_account =
      leaves.find((account) => account.account_type === 'Payable' && account.root_type === 'Liability')?.name ?? null;
    for (const warehouse of WAREHOUSES) {
      if (ctx.store.has('Warehouse', `${warehouse.warehouse_name} - ${abbr}`)) continue;
      ctx.insert(
        'Warehouse',
        {
          ...warehouse,
          company: company.name,
          parent_warehouse: warehouse.is_group ? null : `All Warehouses - ${abbr}`,
        },
        HOOK,
      );
    }
  }
  if (!ofCompany('Cost Center').some((center) => !Number(center.is_group))) {
    ctx.insert('Cost Center', { cost_center_name: company.name, company: company.name, is_group: 1 }, HOOK);
    const main = ctx.insert(
      'Cost Center',
      { cost_center_name: 'Main', company: company.name, is_group: 0, parent_cost_center: `${company.name} - ${abbr}` },
      HOOK,
    );
    company.cost_center = main.name;
    company.round_off_cost_center = main.name;
    company.depreciation_cost_center = main.name;
  }
  if (countryChange) createTaxTemplates(company, ctx);
  if (ofCompany('Department').length === 0) createDepartments(company, ctx);
  setDefaultAccounts(company, ofCompany('Account'));
  if (!isBlank(company.default_cash_account)) setCashModeOfPaymentAccount(company, ctx);
  enableCurrency(text(company.default_currency), ctx);
}

/** `create_charts`: one Account per node; an unknown chart name creates nothing. */
function createChart(company: Doc, ctx: DocContext): void {
  if (!(STANDARD_CHART_NAMES as readonly string[]).includes(text(company.chart_of_accounts))) return;
  const abbr = text(company.abbr);
  for (const node of STANDARD_CHART) {
    ctx.insert(
      'Account',
      {
        account_name: node.accountName,
        company: company.name,
        parent_account: node.parentAccountName ? `${node.parentAccountName} - ${abbr}` : null,
        is_group: node.isGroup ? 1 : 0,
        root_type: node.rootType,
        report_type: node.reportType,
        account_type: node.accountType,
        account_currency: company.default_currency,
      },
      HOOK,
    );
  }
}

/**
 * `setup_taxes_and_charges`: the VAT account under the Tax group, then the sales,
 * purchase and item tax templates. With no accounts (unknown chart) ERPNext's
 * `get_or_create_tax_group` indexes an empty list: IndexError, HTTP 500, whole request rolled back.
 */
function createTaxTemplates(company: Doc, ctx: DocContext): void {
  const tax = COUNTRY_TAXES[text(company.country)];
  if (!tax) return;
  const accounts = ctx.store.ofCompany('Account', company.name);
  const taxGroup =
    accounts.find((a) => Number(a.is_group) && a.root_type === 'Liability' && a.account_type === 'Tax') ??
    accounts.find((a) => Number(a.is_group) && a.root_type === 'Liability' && a.account_name === 'Duties and Taxes');
  if (!taxGroup) {
    throw new FrappeError('IndexError', { exceptionText: 'list index out of range' });
  }
  const vat = ctx.insert(
    'Account',
    {
      account_name: tax.accountName,
      company: company.name,
      parent_account: taxGroup.name,
      is_group: 0,
      account_type: 'Tax',
      tax_rate: tax.rate,
      account_currency: company.default_currency,
    },
    HOOK,
  );
  const row = {
    category: 'Total',
    charge_type: 'On Net Total',
    account_head: vat.name,
    description: `${tax.accountName} @ ${tax.rate.toFixed(1)}`,
    cost_center: company.cost_center,
    rate: tax.rate,
  };
  const template = { title: tax.title, company: company.name, is_default: 0 };
  ctx.insert('Sales Taxes and Charges Template', { ...template, taxes: [row] }, HOOK);
  ctx.insert('Purchase Taxes and Charges Template', { ...template, taxes: [{ ...row, add_deduct_tax: 'Add' }] }, HOOK);
  ctx.insert(
    'Item Tax Template',
    { title: tax.title, company: company.name, taxes: [{ tax_type: vat.name, tax_rate: tax.rate }] },
    HOOK,
  );
}

/** `create_default_departments`: the shared root, then 13 per company. */
function createDepartments(company: Doc, ctx: DocContext): void {
  if (!ctx.store.has('Department', ALL_DEPARTMENTS)) {
    ctx.insert('Department', { department_name: ALL_DEPARTMENTS, is_group: 1 }, HOOK);
  }
  for (const department of DEPARTMENTS) {
    ctx.insert('Department', { department_name: department, parent_department: ALL_DEPARTMENTS, company: company.name }, HOOK);
  }
}

/** `set_default_accounts`: fills only the fields still empty. */
function setDefaultAccounts(company: Doc, accounts: Doc[]): void {
  const leaves = accounts.filter((account) => !Number(account.is_group));
  const perpetual = Number(company.enable_perpetual_inventory) === 1;
  for (const [field, pick, condition] of DEFAULT_ACCOUNTS) {
    if (!isBlank(company[field]) || (condition === 'perpetual' && !perpetual)) continue;
    const account = leaves.find(pick);
    if (account) company[field] = account.name;
  }
}

/** `set_mode_of_payment_account`: the first Cash-type mode gets a row for the company. */
function setCashModeOfPaymentAccount(company: Doc, ctx: DocContext): void {
  const cash = ctx.store.find('Mode of Payment', (mode) => mode.type === 'Cash');
  if (!cash || rows(cash, 'accounts').some((row) => row.company === company.name)) return;
  const accounts = [...rows(cash, 'accounts'), { company: company.name, default_account: company.default_cash_account }];
  ctx.update('Mode of Payment', cash.name, { accounts }, HOOK);
}

/** `Currency(default_currency).enabled = 1`. */
function enableCurrency(currencyName: string, ctx: DocContext): void {
  const currency = ctx.store.get('Currency', currencyName);
  if (!currency || Number(currency.enabled) === 1) return;
  ctx.update('Currency', currency.name, { enabled: 1 }, HOOK);
}

/** What `Company.on_trash` always deletes of the company's own (its departments and tax templates). */
const ALWAYS_DELETED = [
  'Sales Taxes and Charges Template',
  'Purchase Taxes and Charges Template',
  'Item Tax Template',
  'Department',
] as const;

/**
 * `company.py` on_trash: accounts and cost centers go only while no GL Entry refers to the
 * company, warehouses only while no Stock Ledger Entry does; departments, tax templates and the
 * company's Mode of Payment Account and Item Default rows always. Whatever stays then makes the
 * link check refuse the delete, and the request's rollback brings the rest back.
 */
function deleteCompanyRecords(company: Doc, ctx: DocContext): void {
  const ofCompany = (doctype: string): Doc[] => ctx.store.ofCompany(doctype, company.name);
  const doomed: string[] = [...ALWAYS_DELETED];
  if (ofCompany('GL Entry').length === 0) doomed.push('Cost Center', 'Account');
  if (ofCompany('Stock Ledger Entry').length === 0) doomed.push('Warehouse');
  for (const doctype of doomed) {
    for (const doc of ofCompany(doctype)) ctx.store.remove(doctype, doc.name);
  }
  deleteCompanyRows(ctx, 'Mode of Payment', 'accounts', company.name);
  deleteCompanyRows(ctx, 'Item', 'item_defaults', company.name);
}

/** `delete from tab{child} where company = %s`: the rows go, their parents stay. */
function deleteCompanyRows(ctx: DocContext, doctype: string, tableField: string, company: string): void {
  for (const parent of ctx.store.all(doctype)) {
    const kept = rows(parent, tableField).filter((row) => row.company !== company);
    if (kept.length !== rows(parent, tableField).length) ctx.store.put({ ...cloneDoc(parent), [tableField]: kept });
  }
}
