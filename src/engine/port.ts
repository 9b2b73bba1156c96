/**
 * The ERP engine port: what provisioning needs from an ERP, in its own words. Every `ensure*`
 * operation is idempotent by natural key: it looks the resource up first and creates it only
 * when missing, so running it twice (or after a crash half-way) leaves exactly one resource.
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
  ensurePosProfile(input: PosProfileInput, options?: CallOptions): Promise<Ensured>;
  /** One submitted, open POS Opening Entry for the profile and user; never a second one. */
  ensureOpenPosOpeningEntry(input: PosOpeningInput, options?: CallOptions): Promise<Ensured>;
}
