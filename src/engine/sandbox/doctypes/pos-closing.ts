/**
 * POS Closing Entry (erpnext `accounts/doctype/pos_closing_entry/`): the cashier's end of a
 * session. Submitting it closes its opening entry; cancelling it re-opens that session, and is
 * refused while any session of the profile is open. The sandbox has no POS invoices, so there is
 * nothing to consolidate.
 */
import { cloneDoc, type Doc } from '../document.js';
import { frappeThrow } from '../errors.js';
import { cint, isBlank, nameFromSeries, text, type DocContext, type DocTypeDef } from './meta.js';
import { ADMINISTRATOR_ROLE, SALES_MANAGER, SYSTEM_MANAGER } from './roles.js';

const POS_MANAGERS = [SYSTEM_MANAGER, SALES_MANAGER, ADMINISTRATOR_ROLE];

export const POS_CLOSING_ENTRY: DocTypeDef = {
  name: 'POS Closing Entry',
  submittable: true,
  fields: {
    period_start_date: { label: 'Period Start Date', reqd: true },
    period_end_date: { label: 'Period End Date', reqd: true },
    posting_date: { label: 'Posting Date', reqd: true },
    pos_opening_entry: { label: 'POS Opening Entry', link: 'POS Opening Entry', reqd: true },
    company: { label: 'Company', link: 'Company', reqd: true },
    pos_profile: { label: 'POS Profile', link: 'POS Profile', reqd: true },
    user: { label: 'Cashier', link: 'User', reqd: true },
    status: { label: 'Status', options: ['Draft', 'Submitted', 'Queued', 'Failed', 'Cancelled'] },
  },
  tables: {
    payment_reconciliation: {
      label: 'Payment Reconciliation',
      childDoctype: 'POS Closing Entry Detail',
      fields: {
        mode_of_payment: { label: 'Mode of Payment', link: 'Mode of Payment', reqd: true },
        opening_amount: { label: 'Opening Amount', reqd: true, default: 0 },
        expected_amount: { label: 'Expected Amount', default: 0 },
        closing_amount: { label: 'Closing Amount', default: 0 },
      },
    },
  },
  permissions: { read: POS_MANAGERS, write: POS_MANAGERS, submit: POS_MANAGERS },
  autoname: nameFromSeries('POS-CLO'),
  validate: validateClosingEntry,
  onUpdate: (doc, ctx, previous) => {
    // on_submit → consolidate_pos_invoices → update_opening_entry
    if (cint(doc.docstatus) === 1 && cint(previous?.docstatus) === 0) setSession(ctx, doc, doc.name);
  },
  beforeCancel: refuseWhileProfileOpen,
  onCancel: (doc, ctx) => {
    doc.status = 'Cancelled';
    ctx.store.put(doc);
    // on_cancel → unconsolidate_pos_invoices → update_opening_entry(for_cancel=True)
    setSession(ctx, doc, null);
  },
};

/** `validate_pos_opening_entry`, then `set_status`. */
function validateClosingEntry(doc: Doc, ctx: DocContext): void {
  if (isBlank(doc.posting_date)) doc.posting_date = ctx.clock.today();
  if (ctx.store.get('POS Opening Entry', text(doc.pos_opening_entry))?.status !== 'Open') {
    throw frappeThrow('Selected POS Opening Entry should be open.', 'ValidationError', 'Invalid Opening Entry');
  }
  doc.status = cint(doc.docstatus) === 1 ? 'Submitted' : 'Draft';
}

/** `check_pce_is_cancellable`. */
function refuseWhileProfileOpen(doc: Doc, ctx: DocContext): void {
  if (ctx.store.find('POS Opening Entry', (entry) => entry.pos_profile === doc.pos_profile && entry.status === 'Open')) {
    throw frappeThrow(
      `POS Profile - <strong>${text(doc.pos_profile)}</strong> is currently open. Please close the POS or cancel the existing POS Opening Entry before cancelling this POS Closing Entry.`,
      'ValidationError',
      'Cannot cancel POS Closing Entry',
    );
  }
}

/**
 * `update_opening_entry`: the opening entry's `pos_closing_entry` (a Data field, so no link) and
 * its status, Closed with a closing entry and Open again without one.
 */
function setSession(ctx: DocContext, closing: Doc, closingName: string | null): void {
  const opening = ctx.store.get('POS Opening Entry', text(closing.pos_opening_entry));
  if (!opening) return;
  ctx.store.put({
    ...cloneDoc(opening),
    pos_closing_entry: closingName,
    status: closingName === null ? 'Open' : 'Closed',
    modified: ctx.clock.timestamp(),
  });
}
