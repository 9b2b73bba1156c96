/**
 * The ERP engine port: what provisioning needs from an ERP, in its own words. Every `ensure*`
 * operation is idempotent by natural key: it looks the resource up first and creates it only
 * when missing, so running it twice (or after a crash half-way) leaves exactly one resource.
 * The deprovisioning operations (`close*`, `disable*`, `remove*`) are idempotent by the same keys:
 * a resource already closed, disabled or gone counts as done, and what ERPNext refuses to change
 * is reported `kept` with its reason instead of thrown.
 *
 * Implementations throw `EngineError` (see errors.ts) and know nothing of GraphQL or the ORM.
 */

/** What an `ensure*` call did: `created` is false when the resource was already there. */
export interface Ensured<T = Record<string, unknown>> {
  name: string;
  created: boolean;
  doc: T;
}

export interface CallOptions {
  /** Aborts the call (step timeout, shutdown). */
  signal?: AbortSignal;
}

export interface EngineUserInput {
  email: string;
  firstName: string;
  lastName?: string;
  /** Role names the user must have, e.g. `Accounts Manager`. Missing ones are added. */
  roles: string[];
}

export interface CompanyInput {
  companyName: string;
  abbr: string;
  currency: string;
  /** Country name as the engine knows it, e.g. `Kenya`. */
  country: string;
  /** Chart of accounts template name, e.g. `Standard`. */
  chartOfAccounts: string;
}

export interface CompanyDoc {
  name: string;
  abbr: string;
  default_currency: string;
  country: string;
  cost_center?: string;
  write_off_account?: string;
  default_cash_account?: string;
  [field: string]: unknown;
}

export interface AccountRow {
  name: string;
  account_name: string;
  is_group: 0 | 1;
  root_type?: string;
  account_type?: string | null;
  parent_account?: string | null;
}

export interface ChartResult {
  /** Accounts the company has after the call. */
  accounts: number;
  /** Accounts this call had to create (0 when the chart was already there). */
  created: number;
}

export interface WarehouseInput {
  warehouseName: string;
  company: string;
  /** Company abbreviation: the engine names warehouses `"{warehouseName} - {abbr}"`. */
  abbr: string;
  parentWarehouse?: string;
  isGroup?: boolean;
}

export type SettingsDoctype = 'Selling Settings' | 'Stock Settings';

export interface SettingsResult {
  /** False when every value was already as asked, and nothing was written. */
  changed: boolean;
  doc: Record<string, unknown>;
}

export interface ItemInput {
  itemCode: string;
  itemName: string;
  itemGroup: string;
  stockUom: string;
  standardRate?: number;
  /** False for a service, which holds no stock (ERPNext's "Maintain Stock"); default true. */
  stockItem?: boolean;
}

export interface CustomerInput {
  customerName: string;
  customerType: 'Company' | 'Individual';
  customerGroup: string;
  territory: string;
}

export interface PosProfileInput {
  name: string;
  company: string;
  currency: string;
  warehouse: string;
  writeOffAccount: string;
  writeOffCostCenter: string;
  costCenter: string;
  sellingPriceList?: string;
  customer?: string;
  /** Modes of payment; exactly one must be the default. */
  payments: Array<{ modeOfPayment: string; default: boolean }>;
  users: Array<{ user: string; default: boolean }>;
}

export interface PosOpeningInput {
  company: string;
  posProfile: string;
  user: string;
  balances: Array<{ modeOfPayment: string; openingAmount: number }>;
}

/**
 * What one deprovisioning operation did to one resource. `kept`: ERPNext refused (a document still
 * links to it, its ledgers must stay, ...) and `reason` says why in ERPNext's words; `already-gone`:
 * nothing to do. For an outcome reached by an earlier call, `reason` says so ("already disabled").
 */
export interface DeprovisionResult {
  name: string;
  outcome: 'deleted' | 'already-gone' | 'kept' | 'disabled' | 'closed';
  reason?: string;
}

export interface PosSessionsInput {
  posProfile: string;
  /** Only this cashier's sessions; all of the profile's when unset. */
  user?: string;
}

export interface EngineHealth {
  online: boolean;
  latencyMs: number | null;
  checkedAt: Date;
  message: string;
}

export interface ErpEngine {
  /** Liveness: the engine answers at all (no credentials involved). */
  ping(options?: CallOptions): Promise<void>;
  /** The engine user our credentials belong to; throws ENGINE_AUTH when they are wrong. */
  loggedUser(options?: CallOptions): Promise<string>;

  /** A user deprovisioning disabled is enabled again. */
  ensureUser(input: EngineUserInput, options?: CallOptions): Promise<Ensured>;
  getCompany(name: string, options?: CallOptions): Promise<CompanyDoc | null>;
  /** Name of the company that already uses `abbr`, if any. */
  findCompanyByAbbr(abbr: string, options?: CallOptions): Promise<string | null>;
  ensureCompany(input: CompanyInput, options?: CallOptions): Promise<Ensured<CompanyDoc>>;
  listAccounts(company: string, options?: CallOptions): Promise<AccountRow[]>;
  /** Makes sure the company has the named chart, creating the missing accounts root first. */
  ensureChartOfAccounts(company: string, abbr: string, template: string, options?: CallOptions): Promise<ChartResult>;
  ensureWarehouse(input: WarehouseInput, options?: CallOptions): Promise<Ensured>;
  /** Merges `values` into a single doctype; writes only when something differs. */
  mergeSettings(doctype: SettingsDoctype, values: Record<string, unknown>, options?: CallOptions): Promise<SettingsResult>;
  ensureItem(input: ItemInput, options?: CallOptions): Promise<Ensured>;
  /** Found by `customer_name`, because ERPNext suffixes duplicate names instead of refusing. */
  ensureCustomer(input: CustomerInput, options?: CallOptions): Promise<Ensured>;
  /** A profile deprovisioning disabled is enabled again. */
  ensurePosProfile(input: PosProfileInput, options?: CallOptions): Promise<Ensured>;
  /** One submitted, open POS Opening Entry for the profile and user; never a second one. */
  ensureOpenPosOpeningEntry(input: PosOpeningInput, options?: CallOptions): Promise<Ensured>;

  // Deprovisioning, DISABLE mode: in this order, since ERPNext keeps a profile with an open session enabled.
  /** Every Open POS Opening Entry of the profile (and cashier) ends: one `closed` result per entry, none when none was open. */
  closePosSessions(input: PosSessionsInput, options?: CallOptions): Promise<DeprovisionResult[]>;
  /** The POS Profile by name gets `disabled: 1`. */
  disablePosProfile(name: string, options?: CallOptions): Promise<DeprovisionResult>;
  /** The User by email (its name, lower-cased) gets `enabled: 0`; never the user of our own API key (`kept`). */
  disableUser(email: string, options?: CallOptions): Promise<DeprovisionResult>;

  // Deprovisioning, REMOVE mode: the reverse of provisioning, in the order listed here.
  /** Every POS Opening and Closing Entry of the profile, cancelled first where submitted: one result per entry. */
  removePosSessions(posProfile: string, options?: CallOptions): Promise<DeprovisionResult[]>;
  /** The POS Profile by name. */
  removePosProfile(name: string, options?: CallOptions): Promise<DeprovisionResult>;
  /** The Customer found by `customer_name`, as `ensureCustomer` finds it. */
  removeCustomer(customerName: string, options?: CallOptions): Promise<DeprovisionResult>;
  /** The Item by item code. */
  removeItem(itemCode: string, options?: CallOptions): Promise<DeprovisionResult>;
  /** The Warehouse by its full name, `"{warehouseName} - {abbr}"`. */
  removeWarehouse(name: string, options?: CallOptions): Promise<DeprovisionResult>;
  /** The Company by name, with its own accounts, cost centers, warehouses, departments and tax templates; `kept` while it has transactions. */
  removeCompany(name: string, options?: CallOptions): Promise<DeprovisionResult>;
  /** The User by email; never the user of our own API key (`kept`). */
  removeUser(email: string, options?: CallOptions): Promise<DeprovisionResult>;
}
