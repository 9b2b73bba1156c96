import type {
  AccountRow,
  CallOptions,
  ChartResult,
  CompanyDoc,
  CompanyInput,
  CustomerInput,
  EngineUserInput,
  Ensured,
  ErpEngine,
  ItemInput,
  PosOpeningInput,
  PosProfileInput,
  SettingsDoctype,
  SettingsResult,
  WarehouseInput,
} from '../port.js';
import { FrappeHttp } from './http.js';
import { resolveClientOptions, type ErpNextClientOptions } from './options.js';
import { FrappeResources } from './resources.js';
import { ensureChartOfAccounts, listAccounts } from './operations/accounts.js';
import { ensureCompany, findCompanyByAbbr, getCompany } from './operations/company.js';
import { ensureCustomer } from './operations/customer.js';
import { loggedUser, ping } from './operations/identity.js';
import { ensureItem } from './operations/item.js';
import { ensureOpenPosOpeningEntry, ensurePosProfile } from './operations/pos.js';
import { mergeSettings } from './operations/settings.js';
import { ensureUser } from './operations/user.js';
import { ensureWarehouse } from './operations/warehouse.js';

/**
 * The ERP engine over ERPNext's REST API v1 (erpnext-api.md §11). Each call is one HTTP
 * exchange or a short find-then-create sequence; nothing is retried here, and every `ensure*`
 * is safe to call again after any failure, including a response lost after the commit.
 */
export class ErpNextClient implements ErpEngine {
  private readonly resources: FrappeResources;

  constructor(options: ErpNextClientOptions) {
    this.resources = new FrappeResources(new FrappeHttp(resolveClientOptions(options)));
  }

  ping(options: CallOptions = {}): Promise<void> {
    return ping(this.resources, options.signal);
  }

  loggedUser(options: CallOptions = {}): Promise<string> {
    return loggedUser(this.resources, options.signal);
  }

  ensureUser(input: EngineUserInput, options: CallOptions = {}): Promise<Ensured> {
    return ensureUser(this.resources, input, options.signal);
  }

  getCompany(name: string, options: CallOptions = {}): Promise<CompanyDoc | null> {
    return getCompany(this.resources, name, options.signal);
  }

  findCompanyByAbbr(abbr: string, options: CallOptions = {}): Promise<string | null> {
    return findCompanyByAbbr(this.resources, abbr, options.signal);
  }

  ensureCompany(input: CompanyInput, options: CallOptions = {}): Promise<Ensured<CompanyDoc>> {
    return ensureCompany(this.resources, input, options.signal);
  }

  listAccounts(company: string, options: CallOptions = {}): Promise<AccountRow[]> {
    return listAccounts(this.resources, company, options.signal);
  }

  ensureChartOfAccounts(
    company: string,
    abbr: string,
    template: string,
    options: CallOptions = {},
  ): Promise<ChartResult> {
    return ensureChartOfAccounts(this.resources, company, abbr, template, options.signal);
  }

  ensureWarehouse(input: WarehouseInput, options: CallOptions = {}): Promise<Ensured> {
    return ensureWarehouse(this.resources, input, options.signal);
  }

  mergeSettings(
    doctype: SettingsDoctype,
    values: Record<string, unknown>,
    options: CallOptions = {},
  ): Promise<SettingsResult> {
    return mergeSettings(this.resources, doctype, values, options.signal);
  }

  ensureItem(input: ItemInput, options: CallOptions = {}): Promise<Ensured> {
    return ensureItem(this.resources, input, options.signal);
  }

  ensureCustomer(input: CustomerInput, options: CallOptions = {}): Promise<Ensured> {
    return ensureCustomer(this.resources, input, options.signal);
  }

  ensurePosProfile(input: PosProfileInput, options: CallOptions = {}): Promise<Ensured> {
    return ensurePosProfile(this.resources, input, options.signal);
  }

  ensureOpenPosOpeningEntry(input: PosOpeningInput, options: CallOptions = {}): Promise<Ensured> {
    return ensureOpenPosOpeningEntry(this.resources, input, options.signal);
  }
}
