/**
 * What a tenant does after provisioning, posted to the sandbox as Administrator: ledger entries
 * (the sandbox's way of giving a company, warehouse or item a transaction, since only ERPNext
 * itself or Administrator creates them) and a cashier's POS Closing Entry.
 */
import type { RunningSandbox } from '../../src/engine/sandbox/index.js';
import { sandboxClient } from './sandbox-http.js';

type Doc = Record<string, unknown> & { name: string };

const today = (): string => new Date().toISOString().slice(0, 10);
const now = (): string => new Date().toISOString().slice(0, 19).replace('T', ' ');

/** Inserts one document and returns it; anything but 200 fails the test with the engine's answer. */
export async function postDoc(sandbox: RunningSandbox, doctype: string, body: Record<string, unknown>): Promise<Doc> {
  const api = sandboxClient(sandbox);
  const response = await api.post(api.resource(doctype), body);
  if (response.status !== 200) throw new Error(`POST ${doctype} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.data as Doc;
}

/** A sale's debit to the company's cash account, as a submitted Sales Invoice would post it. */
export function saleGlEntry(company: string, abbr: string): Record<string, unknown> {
  return {
    posting_date: today(),
    account: `Cash - ${abbr}`,
    company,
    voucher_type: 'Sales Invoice',
    voucher_no: 'ACC-SINV-00001',
    debit: 150,
    docstatus: 1,
  };
}

/** Stock received into a warehouse, as a submitted Stock Entry would post it. */
export function receiptStockEntry(company: string, warehouse: string, itemCode: string): Record<string, unknown> {
  return {
    item_code: itemCode,
    warehouse,
    company,
    posting_date: today(),
    voucher_type: 'Stock Entry',
    voucher_no: 'MAT-STE-00001',
    actual_qty: 10,
    docstatus: 1,
  };
}

/** The cashier's end of a session with nothing sold: a submitted closing entry for the opening entry. */
export function closingEntryFor(opening: Doc): Record<string, unknown> {
  return {
    pos_opening_entry: opening.name,
    company: opening.company,
    pos_profile: opening.pos_profile,
    user: opening.user,
    period_start_date: opening.period_start_date,
    period_end_date: now(),
    posting_date: today(),
    payment_reconciliation: [{ mode_of_payment: 'Cash', opening_amount: 0, expected_amount: 0, closing_amount: 0 }],
    docstatus: 1,
  };
}
