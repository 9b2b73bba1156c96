/** POS Profile and POS Opening Entry (erpnext `accounts/doctype/pos_profile`, `pos_opening_entry`). */
import type { Doc } from '../document.js';
import { frappeThrow, msgprint } from '../errors.js';
import { ADMINISTRATOR_ROLE, ACCOUNTS_MANAGER, ACCOUNTS_USER, SALES_MANAGER, SALES_USER, SYSTEM_MANAGER } from './roles.js';
import { cint, isBlank, linkToForm, nameFromSeries, rows, text, type DocContext, type DocTypeDef } from './meta.js';

export const POS_PROFILE: DocTypeDef = {
  name: 'POS Profile',
  fields: {
    company: { label: 'Company', link: 'Company', reqd: true },
    currency: { label: 'Currency', link: 'Currency', reqd: true },
    warehouse: { label: 'Warehouse', link: 'Warehouse', reqd: true },
    write_off_account: { label: 'Write Off Account', link: 'Account', reqd: true },
    write_off_cost_center: { label: 'Write Off Cost Center', link: 'Cost Center', reqd: true },
    write_off_limit: { label: 'Write Off Limit', reqd: true, default: 1 },
    cost_center: { label: 'Cost Center', link: 'Cost Center' },
    income_account: { label: 'Income Account', link: 'Account' },
    expense_account: { label: 'Expense Account', link: 'Account' },
    account_for_change_amount: { label: 'Account for Change Amount', link: 'Account' },
    selling_price_list: { label: 'Price List', link: 'Price List' },
    customer: { label: 'Customer', link: 'Customer' },
    taxes_and_charges: { label: 'Sales Taxes and Charges Template', link: 'Sales Taxes and Charges Template' },
    update_stock: { label: 'Update Stock', default: 1 },
    disabled: { label: 'Disabled', default: 0 },
  },
  tables: {
    payments: {
      label: 'Payment Methods',
      childDoctype: 'POS Payment Method',
      reqd: true,
      fields: {
        mode_of_payment: { label: 'Mode of Payment', link: 'Mode of Payment', reqd: true },
        default: { label: 'Default', default: 0 },
        allow_in_returns: { label: 'Allow In Returns', default: 0 },
      },
    },
    applicable_for_users: {
      label: 'Applicable for Users',
      childDoctype: 'POS Profile User',
      fields: { user: { label: 'User', link: 'User' }, default: { label: 'Default', default: 0 } },
    },
    item_groups: {
      label: 'Item Groups',
      childDoctype: 'POS Item Group',
      fields: { item_group: { label: 'Item Group', link: 'Item Group' } },
    },
    customer_groups: {
      label: 'Customer Groups',
      childDoctype: 'POS Customer Group',
      fields: { customer_group: { label: 'Customer Group', link: 'Customer Group' } },
    },
  },
  permissions: { read: [ACCOUNTS_USER, SALES_USER], write: [ACCOUNTS_MANAGER] },
  // `autoname: "Prompt"`: the client's `name` / `__newname`, else "Please set the document name".
  autoname: (doc) => {
    if (isBlank(doc.__newname)) throw frappeThrow('Please set the document name');
    return text(doc.__newname);
  },
  validate: (doc, ctx, previous) => {
    validateDisabled(doc, ctx, previous);
    validateDefaultProfile(doc, ctx);
    validateLinksBelongToCompany(doc, ctx);
    validatePaymentMethods(doc, ctx, 'payments');
  },
};

/** `validate_disabled`: a profile with an open session cannot be disabled (`pos_profile.py`). */
function validateDisabled(doc: Doc, ctx: DocContext, previous: Doc | undefined): void {
  if (!previous || !cint(doc.disabled) || cint(previous.disabled) === cint(doc.disabled)) return;
  if (ctx.store.find('POS Opening Entry', (entry) => entry.pos_profile === doc.name && entry.status === 'Open')) {
    throw frappeThrow(`POS Profile <strong>${doc.name}</strong> cannot be disabled as there are ongoing POS sessions.`);
  }
}

/** `validate_default_profile`: one default profile per user and company. */
function validateDefaultProfile(doc: Doc, ctx: DocContext): void {
  for (const row of rows(doc, 'applicable_for_users')) {
    const otherDefault = ctx.store.find(
      'POS Profile',
      (profile) =>
        profile.name !== doc.name &&
        profile.company === doc.company &&
        !cint(profile.disabled) &&
        rows(profile, 'applicable_for_users').some((user) => user.user === row.user && cint(user.default)),
    );
    if (cint(row.default) && otherDefault) {
      throw frappeThrow(
        `Already set default in pos profile ${otherDefault.name} for user ${text(row.user)}, kindly disabled default`,
      );
    }
    if (!cint(row.default) && !otherDefault) {
      ctx.messages.push(
        msgprint(`User ${text(row.user)} doesn't have any default POS Profile. Check Default at Row ${text(row.idx)} for this User.`),
      );
    }
  }
}

/** `validate_all_link_fields`: accounts, cost center and warehouse of the profile's company. */
function validateLinksBelongToCompany(doc: Doc, ctx: DocContext): void {
  const links: ReadonlyArray<readonly [string, unknown]> = [
    ['Account', doc.income_account],
    ['Account', doc.expense_account],
    ['Cost Center', doc.cost_center],
    ['Warehouse', doc.warehouse],
  ];
  for (const [doctype, name] of links) {
    if (isBlank(name)) continue;
    if (ctx.store.get(doctype, text(name))?.company !== doc.company) {
      throw frappeThrow(`${text(name)} does not belong to Company ${text(doc.company)}`);
    }
  }
}

/**
 * `validate_payment_methods` and the opening entry's `validate_payment_method_account`:
 * every mode needs a Mode of Payment Account for the company. ERPNext compares the list
 * with 1 (always false), so the message always says "Mode of Payments".
 */
function validatePaymentMethods(doc: Doc, ctx: DocContext, tableField: 'payments' | 'balance_details'): void {
  const payments = rows(doc, tableField);
  if (tableField === 'payments') {
    if (payments.length === 0) throw frappeThrow('Payment methods are mandatory. Please add at least one payment method.');
    const defaults = payments.filter((row) => cint(row.default)).length;
    if (defaults === 0) throw frappeThrow('Please select a default mode of payment');
    if (defaults > 1) throw frappeThrow('You can only select one mode of payment as default');
  }
  const invalid = payments
    .filter((row) => !isBlank(row.mode_of_payment))
    .filter((row) => {
      const mode = ctx.store.get('Mode of Payment', text(row.mode_of_payment));
      return !rows(mode ?? { name: '', doctype: '' }, 'accounts').some(
        (account) => account.company === doc.company && !isBlank(account.default_account),
      );
    })
    .map((row) => linkToForm(ctx, 'Mode of Payment', text(row.mode_of_payment)));
  if (invalid.length > 0) {
    throw frappeThrow(`Please set default Cash or Bank account in Mode of Payments ${invalid.join(', ')}`, 'ValidationError', 'Missing Account');
  }
}

export const POS_OPENING_ENTRY: DocTypeDef = {
  name: 'POS Opening Entry',
  submittable: true,
  fields: {
    period_start_date: { label: 'Period Start Date', reqd: true },
    posting_date: { label: 'Posting Date', reqd: true },
    company: { label: 'Company', link: 'Company', reqd: true },
    pos_profile: { label: 'POS Profile', link: 'POS Profile', reqd: true },
    user: { label: 'Cashier', link: 'User', reqd: true },
    status: { label: 'Status', options: ['Draft', 'Open', 'Closed', 'Cancelled'] },
  },
  tables: {
    balance_details: {
      label: 'Opening Balance Details',
      childDoctype: 'POS Opening Entry Detail',
      reqd: true,
      fields: {
        mode_of_payment: { label: 'Mode of Payment', link: 'Mode of Payment', reqd: true },
        opening_amount: { label: 'Opening Amount', reqd: true, default: 0 },
      },
    },
  },
  permissions: {
    read: [SYSTEM_MANAGER, SALES_MANAGER, ADMINISTRATOR_ROLE],
    write: [SYSTEM_MANAGER, SALES_MANAGER, ADMINISTRATOR_ROLE],
    submit: [SYSTEM_MANAGER, SALES_MANAGER, ADMINISTRATOR_ROLE],
  },
  // `autoname: "POS-OPE-.YYYY.-.#####"`.
  autoname: nameFromSeries('POS-OPE'),
  validate: validateOpeningEntry,
  // `on_cancel` → `set_status`. No `before_cancel` refusal: the sandbox has no POS invoices, the
  // only thing `check_poe_is_cancellable` looks for.
  onCancel: (doc, ctx) => {
    doc.status = 'Cancelled';
    ctx.store.put(doc);
  },
};

/** `pos_opening_entry.py` validate, then `set_status`. */
function validateOpeningEntry(doc: Doc, ctx: DocContext): void {
  if (isBlank(doc.posting_date)) doc.posting_date = ctx.clock.today();
  const profile = ctx.store.get('POS Profile', text(doc.pos_profile));
  if (profile && cint(profile.disabled)) throw frappeThrow(`POS Profile <strong>${profile.name}</strong> is disabled.`);
  if (profile && profile.company !== doc.company) {
    throw frappeThrow(`POS Profile ${text(doc.pos_profile)} does not belongs to company ${text(doc.company)}`);
  }
  const cashier = ctx.store.get('User', text(doc.user));
  if (cashier && !cint(cashier.enabled)) {
    throw frappeThrow(`User ${text(doc.user)} is disabled. Please select valid user/cashier`);
  }
  if (ctx.config.openEntryRules) {
    const openEntries = ctx.store.all('POS Opening Entry').filter((entry) => entry.name !== doc.name && entry.status === 'Open');
    if (openEntries.some((entry) => entry.pos_profile === doc.pos_profile)) {
      throw frappeThrow(
        `<strong>${text(doc.pos_profile)}</strong> is open. Close the POS or cancel the existing POS Opening Entry to create a new POS Opening Entry.`,
        'ValidationError',
        'POS Opening Entry Exists',
      );
    }
    if (openEntries.some((entry) => entry.user === doc.user)) {
      throw frappeThrow('Cashier is currently assigned to another POS.', 'ValidationError', 'Cannot Assign Cashier');
    }
  }
  validatePaymentMethods(doc, ctx, 'balance_details');
  // `status_updater`: Draft (0), Open (1, no closing entry), Closed (1 with one), Cancelled (2).
  const docstatus = cint(doc.docstatus);
  doc.status = docstatus === 0 ? 'Draft' : docstatus === 2 ? 'Cancelled' : isBlank(doc.pos_closing_entry) ? 'Open' : 'Closed';
}
