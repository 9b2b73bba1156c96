import type { DeprovisionResult, Ensured, PosOpeningInput, PosProfileInput } from '../../port.js';
import { disableDoc, removeDoc } from '../deprovision.js';
import { ensureDoc } from '../ensure.js';
import type { Doc, Filter, FrappeResources } from '../resources.js';

/**
 * POS Profile is named by prompt: the client must send `name`. A duplicate is a 409. One
 * deprovisioning disabled is enabled again: a disabled profile opens no session.
 */
export async function ensurePosProfile(
  resources: FrappeResources,
  input: PosProfileInput,
  signal?: AbortSignal,
): Promise<Ensured> {
  const ensured = await ensureDoc({
    find: () => resources.get('POS Profile', input.name, signal),
    create: () => resources.insert('POS Profile', posProfileDoc(input), signal),
  });
  if (Number(ensured.doc.disabled) !== 1) return ensured;
  const doc = await resources.update('POS Profile', ensured.name, { disabled: 0 }, signal);
  return { name: doc.name, created: false, doc };
}

/** ERPNext refuses while a session of the profile is open (`pos_profile.py` validate_disabled): close them first. */
export function disablePosProfile(resources: FrappeResources, name: string, signal?: AbortSignal): Promise<DeprovisionResult> {
  return disableDoc(resources, { doctype: 'POS Profile', name, isDisabled: (doc) => Number(doc.disabled) === 1, change: { disabled: 1 } }, signal);
}

/** Kept while any POS entry, even a cancelled one, names it: remove the sessions first. */
export function removePosProfile(resources: FrappeResources, name: string, signal?: AbortSignal): Promise<DeprovisionResult> {
  return removeDoc(resources, 'POS Profile', name, signal);
}

function posProfileDoc(input: PosProfileInput): Record<string, unknown> {
  return {
    name: input.name,
    company: input.company,
    currency: input.currency,
    warehouse: input.warehouse,
    write_off_account: input.writeOffAccount,
    write_off_cost_center: input.writeOffCostCenter,
    cost_center: input.costCenter,
    ...(input.sellingPriceList ? { selling_price_list: input.sellingPriceList } : {}),
    ...(input.customer ? { customer: input.customer } : {}),
    payments: input.payments.map((row) => ({ mode_of_payment: row.modeOfPayment, default: row.default ? 1 : 0 })),
    applicable_for_users: input.users.map((row) => ({ user: row.user, default: row.default ? 1 : 0 })),
  };
}

/**
 * One open session per profile. Found by the filters the POS UI uses, not by name:
 * entries are named by a series, so a retried insert would make a second one. Older ERPNext
 * versions do not refuse a second open entry themselves. After a
 * response lost on commit, the next call finds the entry that was committed.
 */
export function ensureOpenPosOpeningEntry(
  resources: FrappeResources,
  input: PosOpeningInput,
  signal?: AbortSignal,
): Promise<Ensured> {
  return ensureDoc({
    find: () => findOpenEntry(resources, input.posProfile, signal),
    create: () => resources.insert('POS Opening Entry', openingEntryDoc(input, new Date()), signal),
  });
}

function findOpenEntry(resources: FrappeResources, posProfile: string, signal?: AbortSignal): Promise<Doc | null> {
  const filters: Filter[] = [
    ['status', '=', 'Open'],
    ['docstatus', '=', 1],
    ['pos_profile', '=', posProfile],
  ];
  return resources.first('POS Opening Entry', filters, signal);
}

/** `docstatus: 1` makes the insert a submit, so the entry is Open at once. */
function openingEntryDoc(input: PosOpeningInput, now: Date): Record<string, unknown> {
  return {
    company: input.company,
    pos_profile: input.posProfile,
    user: input.user,
    period_start_date: frappeDatetime(now),
    posting_date: frappeDatetime(now).slice(0, 10),
    balance_details: input.balances.map((row) => ({
      mode_of_payment: row.modeOfPayment,
      opening_amount: row.openingAmount,
    })),
    docstatus: 1,
  };
}

/**
 * `YYYY-MM-DD HH:MM:SS`, in UTC: Frappe reads naive datetimes in the site's time zone, which
 * the REST API does not tell us, and UTC is what servers run on by default.
 */
function frappeDatetime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}
