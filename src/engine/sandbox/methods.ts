/**
 * `/api/method/<dotted.path>` (frappe `handler.py` `execute_cmd`): the whitelisted methods a
 * provisioning client calls, from `frappe.client` to ERPNext's chart and POS methods. Only `ping`
 * is open to Guest.
 */
import { STANDARD_CHART_NAMES } from '../standard-chart.js';
import { serialise } from './document.js';
import { FrappeError, frappeThrow } from './errors.js';
import { candidates, matchesAll, parseFilters } from './list-query.js';
import { text } from './doctypes/meta.js';
import { docTypeOf } from './doctypes/registry.js';
import { GUEST, hasPermission } from './permissions.js';
import type { RequestScope } from './documents.js';

export type MethodArgs = Readonly<Record<string, unknown>>;

type MethodHandler = (scope: RequestScope, args: MethodArgs) => unknown;

const pong: MethodHandler = () => 'pong';

/** What `get_versions` reports: the versions the sandbox imitates. */
const VERSIONS = {
  frappe: { title: 'Frappe Framework', description: 'Full stack web framework', branch: 'version-15', branch_version: '15.55.1', version: '15.55.1' },
  erpnext: { title: 'ERPNext', description: 'ERP made simple', branch: 'version-15', branch_version: '15.50.0', version: '15.50.0' },
} as const;

const GUEST_METHODS: ReadonlySet<string> = new Set(['ping', 'frappe.ping']);

const METHODS: Readonly<Record<string, MethodHandler>> = {
  ping: pong,
  'frappe.ping': pong,
  'frappe.auth.get_logged_user': (scope) => scope.user,
  'frappe.utils.change_log.get_versions': () => VERSIONS,
  'frappe.client.get_count': getCount,
  'frappe.client.cancel': (scope, args) => serialise(scope.cancel(text(args.doctype), text(args.name))),
  'erpnext.accounts.doctype.account.chart_of_accounts.chart_of_accounts.get_charts_for_country': getChartsForCountry,
  'erpnext.selling.page.point_of_sale.point_of_sale.create_opening_voucher': createOpeningVoucher,
};

/** Runs a method; the result becomes `{"message": result}`. */
export function callMethod(scope: RequestScope, method: string, args: MethodArgs): unknown {
  const handler = METHODS[method];
  if (!handler) throw methodNotFound(method);
  // `is_whitelisted`: Guest may only call allow_guest methods → "Not permitted" (403).
  if (scope.user === GUEST && !GUEST_METHODS.has(method)) throw frappeThrow('Not permitted', 'PermissionError');
  return handler(scope, args);
}

/** `execute_cmd` when the dotted path does not resolve: 417. */
function methodNotFound(method: string): FrappeError {
  const dot = method.lastIndexOf('.');
  const reason =
    dot > 0 && /^(frappe|erpnext)\./.test(method)
      ? `module '${method.slice(0, dot)}' has no attribute '${method.slice(dot + 1)}'`
      : `No module named '${method.split('.')[0] ?? method}'`;
  return frappeThrow(`Failed to get method for command ${method} with ${reason}`);
}

/** `frappe.client.get_count(doctype, filters)`. */
function getCount(scope: RequestScope, args: MethodArgs): number {
  const def = docTypeOf(text(args.doctype));
  if (!hasPermission(scope.store, scope.user, def, 'read')) {
    throw new FrappeError('PermissionError', { errorMessage: `No permission for ${def.name}` });
  }
  const filters = parseFilters(def, encoded(args.filters));
  return candidates(scope.store, def, filters).filter((doc) => matchesAll(def, doc, { filters, orFilters: [] })).length;
}

/** Query args arrive as JSON text; a JSON body may carry the structure itself. */
function encoded(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `get_charts_for_country`: no country-specific chart exists for KE/UG, so only the standard ones. */
function getChartsForCountry(): string[] {
  return [...STANDARD_CHART_NAMES];
}

/** `create_opening_voucher(pos_profile, company, balance_details)`: cashier = session user, submitted. */
function createOpeningVoucher(scope: RequestScope, args: MethodArgs): unknown {
  const balanceDetails = typeof args.balance_details === 'string' ? (JSON.parse(args.balance_details) as unknown) : args.balance_details;
  return serialise(
    scope.insert('POS Opening Entry', {
      pos_profile: args.pos_profile,
      company: args.company,
      user: scope.user,
      period_start_date: scope.clock.timestamp().slice(0, 19),
      posting_date: scope.clock.today(),
      balance_details: balanceDetails,
      docstatus: 1,
    }),
  );
}
