/**
 * Accounting doctypes: Account and Cost Center (named "{name} - ABBR"), Mode of Payment and the
 * three tax templates the Company insert creates.
 */
import type { Doc } from '../document.js';
import { frappeThrow } from '../errors.js';
import { isBlank, nameFromField, nameWithAbbr, rows, text, type DocContext, type DocTypeDef } from './meta.js';
import { ACCOUNTS_MANAGER, ACCOUNTS_USER, ALL, SALES_USER, STOCK_USER } from './roles.js';

const ACCOUNTS_READERS = [ACCOUNTS_USER, SALES_USER, STOCK_USER, 'Auditor', 'Purchase User'];
const ROOT_TYPES = ['Asset', 'Liability', 'Income', 'Expense', 'Equity'] as const;
const BALANCE_SHEET_ROOTS: ReadonlySet<string> = new Set(['Asset', 'Liability', 'Equity']);

export const ACCOUNT: DocTypeDef = {
  name: 'Account',
  fields: {
    account_name: { label: 'Account Name', reqd: true },
    company: { label: 'Company', link: 'Company', reqd: true },
    parent_account: { label: 'Parent Account', link: 'Account' },
    is_group: { label: 'Is Group', default: 0 },
    root_type: { label: 'Root Type', options: ROOT_TYPES },
    report_type: { label: 'Report Type', options: ['Balance Sheet', 'Profit and Loss'] },
    account_currency: { label: 'Currency', link: 'Currency' },
    freeze_account: { label: 'Frozen', default: 'No', options: ['No', 'Yes'] },
    disabled: { label: 'Disabled', default: 0 },
  },
  permissions: { read: ACCOUNTS_READERS, write: [ACCOUNTS_USER, ACCOUNTS_MANAGER] },
  autoname: (doc, ctx) => nameWithAbbr(ctx, text(doc.account_name), doc.company, doc.account_number),
  validate: validateAccount,
};

/** `account.py` validate_parent, set_root_and_report_type, validate_root_details, validate_mandatory. */
function validateAccount(doc: Doc, ctx: DocContext): void {
  if (!isBlank(doc.parent_account)) {
    const parent = ctx.store.get('Account', text(doc.parent_account));
    if (!parent) throw frappeThrow(`Account ${doc.name}: Parent account ${text(doc.parent_account)} does not exist`);
    if (parent.name === doc.name) throw frappeThrow(`Account ${doc.name}: You can not assign itself as parent account`);
    if (!Number(parent.is_group)) {
      throw frappeThrow(`Account ${doc.name}: Parent account ${parent.name} can not be a ledger`);
    }
    if (text(parent.company) !== text(doc.company)) {
      throw frappeThrow(`Account ${doc.name}: Parent account ${parent.name} does not belong to company: ${text(doc.company)}`);
    }
    doc.root_type = parent.root_type;
    doc.report_type = parent.report_type;
  } else if (!Number(doc.is_group)) {
    throw frappeThrow(`The root account <strong>${doc.name}</strong> must be a group`);
  }
  if (isBlank(doc.root_type)) throw frappeThrow('Root Type is mandatory');
  if (isBlank(doc.report_type)) {
    doc.report_type = BALANCE_SHEET_ROOTS.has(text(doc.root_type)) ? 'Balance Sheet' : 'Profit and Loss';
  }
  if (isBlank(doc.account_currency)) doc.account_currency = ctx.store.get('Company', text(doc.company))?.default_currency;
}

export const COST_CENTER: DocTypeDef = {
  name: 'Cost Center',
  fields: {
    cost_center_name: { label: 'Cost Center Name', reqd: true },
    company: { label: 'Company', link: 'Company', reqd: true },
    parent_cost_center: { label: 'Parent Cost Center', link: 'Cost Center' },
    is_group: { label: 'Is Group', default: 0 },
  },
  permissions: { read: ACCOUNTS_READERS, write: [ACCOUNTS_MANAGER] },
  autoname: (doc, ctx) => nameWithAbbr(ctx, text(doc.cost_center_name), doc.company, doc.cost_center_number),
  // `cost_center.py` validate_mandatory: only the company's root may have no parent.
  validate: (doc) => {
    const isRoot = text(doc.cost_center_name) === text(doc.company);
    if (!isRoot && isBlank(doc.parent_cost_center)) throw frappeThrow('Please enter parent cost center');
    if (isRoot && !isBlank(doc.parent_cost_center)) throw frappeThrow('Root cannot have a parent cost center');
  },
};

export const MODE_OF_PAYMENT: DocTypeDef = {
  name: 'Mode of Payment',
  fields: {
    mode_of_payment: { label: 'Mode of Payment', reqd: true },
    type: { label: 'Type', options: ['Cash', 'Bank', 'General', 'Phone'] },
    enabled: { label: 'Enabled', default: 1 },
  },
  tables: {
    accounts: {
      label: 'Accounts',
      childDoctype: 'Mode of Payment Account',
      fields: {
        company: { label: 'Company', link: 'Company' },
        default_account: { label: 'Default Account', link: 'Account' },
      },
    },
  },
  permissions: { read: [ACCOUNTS_USER, SALES_USER, ALL], write: [ACCOUNTS_MANAGER] },
  autoname: nameFromField('mode_of_payment'),
  // `mode_of_payment.py` validate_repeating_companies, validate_accounts.
  validate: (doc, ctx) => {
    const companies = rows(doc, 'accounts').map((row) => text(row.company));
    if (new Set(companies).size !== companies.length) throw frappeThrow('Same Company is entered more than once');
    for (const row of rows(doc, 'accounts')) {
      const account = ctx.store.get('Account', text(row.default_account));
      if (text(account?.company) !== text(row.company)) {
        throw frappeThrow(
          `Account ${text(row.default_account)} does not match with Company ${text(row.company)} in Mode of Account: ${doc.name}`,
        );
      }
    }
  },
};

/** The tax templates are named `"{title} - {abbr}"` (`setup_taxes_and_charges`). */
function taxTemplate(name: string, childDoctype: string, accountField: string): DocTypeDef {
  return {
    name,
    fields: {
      title: { label: 'Title', reqd: true },
      company: { label: 'Company', link: 'Company', reqd: true },
    },
    tables: {
      taxes: {
        label: childDoctype === 'Item Tax Template Detail' ? 'Tax Rates' : childDoctype,
        childDoctype,
        fields: {
          [accountField]: { label: accountField === 'tax_type' ? 'Tax' : 'Account Head', link: 'Account', reqd: true },
          cost_center: { label: 'Cost Center', link: 'Cost Center' },
        },
      },
    },
    permissions: { read: ACCOUNTS_READERS, write: [ACCOUNTS_MANAGER] },
    autoname: (doc, ctx) => nameWithAbbr(ctx, text(doc.title), doc.company),
  };
}

export const SALES_TAXES_TEMPLATE = taxTemplate('Sales Taxes and Charges Template', 'Sales Taxes and Charges', 'account_head');
export const PURCHASE_TAXES_TEMPLATE = taxTemplate(
  'Purchase Taxes and Charges Template',
  'Purchase Taxes and Charges',
  'account_head',
);
export const ITEM_TAX_TEMPLATE = taxTemplate('Item Tax Template', 'Item Tax Template Detail', 'tax_type');
