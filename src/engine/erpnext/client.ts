import type {
  AccountRow,
  CallOptions,
  ChartResult,
  CompanyDoc,
  CompanyInput,
  CustomerInput,
  DeprovisionResult,
  EngineUserInput,
  Ensured,
  ErpEngine,
  ItemInput,
  PosOpeningInput,
  PosProfileInput,
  PosSessionsInput,
  SettingsDoctype,
  SettingsResult,
  WarehouseInput,
} from '../port.js';
import { FrappeHttp } from './http.js';
import { resolveClientOptions, type ErpNextClientOptions } from './options.js';
import { FrappeResources } from './resources.js';
import { ensureChartOfAccounts, listAccounts } from './operations/accounts.js';
import { ensureCompany, findCompanyByAbbr, getCompany, removeCompany } from './operations/company.js';
import { ensureCustomer, removeCustomer } from './operations/customer.js';
import { loggedUser, ping } from './operations/identity.js';
import { ensureItem, removeItem } from './operations/item.js';
import { closePosSessions, removePosSessions } from './operations/pos-sessions.js';
import { disablePosProfile, ensureOpenPosOpeningEntry, ensurePosProfile, removePosProfile } from './operations/pos.js';
import { mergeSettings } from './operations/settings.js';
import { disableUser, ensureUser, removeUser } from './operations/user.js';
import { ensureWarehouse, removeWarehouse } from './operations/warehouse.js';

/**
 * The ERP engine over ERPNext's REST API v1. Each call is one HTTP
 * exchange or a short find-then-create sequence; nothing is retried here, and every `ensure*`,
 * `close*`, `disable*` and `remove*` is safe to call again after any failure, including a response
 * lost after the commit.
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

  closePosSessions(input: PosSessionsInput, options: CallOptions = {}): Promise<DeprovisionResult[]> {
    return closePosSessions(this.resources, input, options.signal);
  }

  disablePosProfile(name: string, options: CallOptions = {}): Promise<DeprovisionResult> {
    return disablePosProfile(this.resources, name, options.signal);
  }

  disableUser(email: string, options: CallOptions = {}): Promise<DeprovisionResult> {
    return disableUser(this.resources, email, options.signal);
  }

  removePosSessions(posProfile: string, options: CallOptions = {}): Promise<DeprovisionResult[]> {
    return removePosSessions(this.resources, posProfile, options.signal);
  }

  removePosProfile(name: string, options: CallOptions = {}): Promise<DeprovisionResult> {
    return removePosProfile(this.resources, name, options.signal);
  }

  removeCustomer(customerName: string, options: CallOptions = {}): Promise<DeprovisionResult> {
    return removeCustomer(this.resources, customerName, options.signal);
  }

  removeItem(itemCode: string, options: CallOptions = {}): Promise<DeprovisionResult> {
    return removeItem(this.resources, itemCode, options.signal);
  }

  removeWarehouse(name: string, options: CallOptions = {}): Promise<DeprovisionResult> {
    return removeWarehouse(this.resources, name, options.signal);
  }

  removeCompany(name: string, options: CallOptions = {}): Promise<DeprovisionResult> {
    return removeCompany(this.resources, name, options.signal);
  }

  removeUser(email: string, options: CallOptions = {}): Promise<DeprovisionResult> {
    return removeUser(this.resources, email, options.signal);
  }
}
