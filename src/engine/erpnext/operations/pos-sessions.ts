import type { DeprovisionResult, PosSessionsInput } from '../../port.js';
import { cancelDoc, removeDoc } from '../deprovision.js';
import type { Filter, FrappeResources } from '../resources.js';

const OPENING = 'POS Opening Entry';
const CLOSING = 'POS Closing Entry';

interface EntryRow {
  name: string;
  pos_opening_entry?: string;
}

/**
 * Ends every open session by cancelling its opening entry, which ERPNext allows while the session
 * has no unconsolidated invoices (`pos_opening_entry.py` before_cancel → check_poe_is_cancellable).
 * A POS Closing Entry is the cashier's count of the drawer (`payment_reconciliation`'s closing
 * amounts): for a session with nothing sold there is nothing to count or consolidate, one made here
 * would hold invented figures, and removing the tenant would then have to cancel it, which
 * re-opens the session (`pos_closing_entry.py` on_cancel → update_opening_entry(for_cancel=True)).
 * A session with invoices ERPNext refuses to cancel (417): it is reported kept, for a person to close.
 */
export async function closePosSessions(
  resources: FrappeResources,
  input: PosSessionsInput,
  signal?: AbortSignal,
): Promise<DeprovisionResult[]> {
  const filters: Filter[] = [
    ['status', '=', 'Open'],
    ['docstatus', '=', 1],
    ['pos_profile', '=', input.posProfile],
    ...(input.user === undefined ? [] : [['user', '=', input.user] as Filter]),
  ];
  const results: DeprovisionResult[] = [];
  for (const entry of await listEntries(resources, OPENING, filters, signal)) {
    results.push(await cancelDoc(resources, OPENING, entry.name, signal));
  }
  return results;
}

/**
 * Cancels what is submitted in the order ERPNext accepts, then deletes. Open sessions first, since
 * ERPNext refuses to cancel a closing entry while any session of the profile is open
 * (`check_pce_is_cancellable`); then each submitted closing entry, immediately followed by its
 * opening entry, which that cancel re-opens. Closing entries are deleted before opening entries:
 * a closing entry links its opening entry, and Frappe refuses to delete a document any other
 * document links to, a cancelled one included (`delete_doc.check_if_doc_is_linked`).
 */
export async function removePosSessions(
  resources: FrappeResources,
  posProfile: string,
  signal?: AbortSignal,
): Promise<DeprovisionResult[]> {
  const kept = new Map<string, DeprovisionResult>();
  const note = (result: DeprovisionResult): DeprovisionResult => {
    if (result.outcome === 'kept') kept.set(result.name, result);
    return result;
  };
  (await closePosSessions(resources, { posProfile }, signal)).forEach(note);
  const submitted: Filter[] = [['pos_profile', '=', posProfile], ['docstatus', '=', 1]];
  for (const closing of await listEntries(resources, CLOSING, submitted, signal)) {
    const cancelled = note(await cancelDoc(resources, CLOSING, closing.name, signal));
    if (cancelled.outcome === 'closed' && closing.pos_opening_entry) {
      note(await cancelDoc(resources, OPENING, closing.pos_opening_entry, signal));
    }
  }
  const results: DeprovisionResult[] = [];
  for (const doctype of [CLOSING, OPENING]) {
    for (const entry of await listEntries(resources, doctype, [['pos_profile', '=', posProfile]], signal)) {
      results.push(kept.get(entry.name) ?? (await removeDoc(resources, doctype, entry.name, signal)));
    }
  }
  return results;
}

function listEntries(resources: FrappeResources, doctype: string, filters: Filter[], signal?: AbortSignal): Promise<EntryRow[]> {
  const fields = doctype === CLOSING ? ['name', 'pos_opening_entry'] : ['name'];
  return resources.list<EntryRow & Record<string, unknown>>(doctype, { filters, fields, limit: 0, orderBy: 'creation asc' }, signal);
}
