/**
 * The ledgers transactions write: GL Entry and Stock Ledger Entry. In ERPNext they exist only
 * because a transaction was submitted (`make_gl_entries`, `make_sl_entries` submit them) and no role
 * may create them (their doctypes grant read only), so only Administrator can POST one, submitted
 * at once with `"docstatus": 1`: that is how tests give a company, a warehouse or an item a
 * transaction. Their presence is what `Company.on_trash` and `Warehouse.on_trash` look at.
 */
import type { Doc } from '../document.js';
import { frappeThrow } from '../errors.js';
import { nameFromSeries, text, type DocContext, type DocTypeDef } from './meta.js';
import { ACCOUNTS_MANAGER, ACCOUNTS_USER, STOCK_MANAGER, STOCK_USER } from './roles.js';

export const GL_ENTRY: DocTypeDef = {
  name: 'GL Entry',
  submittable: true,
  fields: {
    posting_date: { label: 'Posting Date', reqd: true },
    account: { label: 'Account', link: 'Account', reqd: true },
    company: { label: 'Company', link: 'Company', reqd: true },
    cost_center: { label: 'Cost Center', link: 'Cost Center' },
    voucher_type: { label: 'Voucher Type', reqd: true },
    voucher_no: { label: 'Voucher No', reqd: true },
    debit: { label: 'Debit Amount', default: 0 },
    credit: { label: 'Credit Amount', default: 0 },
    is_cancelled: { label: 'Is Cancelled', default: 0 },
  },
  permissions: { read: [ACCOUNTS_USER, ACCOUNTS_MANAGER, 'Auditor'], write: [] },
  autoname: nameFromSeries('ACC-GLE'),
  validate: validateGlAccount,
};

/** `gl_entry.py` validate_account_details: the account must be the company's. */
function validateGlAccount(doc: Doc, ctx: DocContext): void {
  const account = ctx.store.get('Account', text(doc.account));
  if (account && account.company !== doc.company) {
    throw frappeThrow(
      `${text(doc.voucher_type)} ${text(doc.voucher_no)}: Account ${account.name} does not belong to Company ${text(doc.company)}`,
    );
  }
}

export const STOCK_LEDGER_ENTRY: DocTypeDef = {
  name: 'Stock Ledger Entry',
  submittable: true,
  fields: {
    item_code: { label: 'Item Code', link: 'Item', reqd: true },
    warehouse: { label: 'Warehouse', link: 'Warehouse', reqd: true },
    company: { label: 'Company', link: 'Company', reqd: true },
    posting_date: { label: 'Posting Date', reqd: true },
    voucher_type: { label: 'Voucher Type', reqd: true },
    voucher_no: { label: 'Voucher No', reqd: true },
    actual_qty: { label: 'Qty Change', default: 0 },
    is_cancelled: { label: 'Is Cancelled', default: 0 },
  },
  permissions: { read: [STOCK_USER, STOCK_MANAGER, ACCOUNTS_MANAGER], write: [] },
  autoname: nameFromSeries('MAT-SLE'),
};
