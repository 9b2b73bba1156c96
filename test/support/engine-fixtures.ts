import type {
  CompanyInput,
  CustomerInput,
  EngineUserInput,
  ItemInput,
  PosOpeningInput,
  PosProfileInput,
  WarehouseInput,
} from '../../src/engine/port.js';
import type { EngineCall } from '../../src/engine/erpnext/index.js';

/** One coherent tenant: every input links to what the ones before it create. */
export const COMPANY: CompanyInput = {
  companyName: 'Acme Ltd',
  abbr: 'AL',
  currency: 'KES',
  country: 'Kenya',
  chartOfAccounts: 'Standard',
};

/** A country without tax data, so a company can exist without a chart. */
export const BARE_COMPANY: CompanyInput = {
  companyName: 'Bare Co',
  abbr: 'BC',
  currency: 'USD',
  country: 'United States',
  chartOfAccounts: 'Standard',
};

export const CASHIER: EngineUserInput = {
  email: 'cashier@acme.test',
  firstName: 'Cash',
  lastName: 'Ier',
  roles: ['Sales User', 'Accounts User'],
};

export const MAIN_STORE: WarehouseInput = { warehouseName: 'Main Store', company: 'Acme Ltd', abbr: 'AL' };
export const POS_STORE: WarehouseInput = { warehouseName: 'POS Store', company: 'Acme Ltd', abbr: 'AL' };

export const SUGAR: ItemInput = {
  itemCode: 'SUGAR-1KG',
  itemName: 'Sugar 1kg',
  itemGroup: 'Products',
  stockUom: 'Nos',
  standardRate: 150,
};

export const WALK_IN: CustomerInput = {
  customerName: 'Walk-In Customer',
  customerType: 'Individual',
  customerGroup: 'Individual',
  territory: 'Kenya',
};

export const POS_PROFILE: PosProfileInput = {
  name: 'Acme Main POS',
  company: 'Acme Ltd',
  currency: 'KES',
  warehouse: 'Main Store - AL',
  writeOffAccount: 'Write Off - AL',
  writeOffCostCenter: 'Main - AL',
  costCenter: 'Main - AL',
  sellingPriceList: 'Standard Selling',
  customer: 'Walk-In Customer',
  payments: [{ modeOfPayment: 'Cash', default: true }],
  users: [{ user: 'cashier@acme.test', default: true }],
};

export const POS_OPENING: PosOpeningInput = {
  company: 'Acme Ltd',
  posProfile: 'Acme Main POS',
  user: 'cashier@acme.test',
  balances: [{ modeOfPayment: 'Cash', openingAmount: 0 }],
};

/** Records every HTTP call a client makes, for asserting what went over the wire. */
export function callRecorder(): { calls: EngineCall[]; onCall: (call: EngineCall) => void } {
  const calls: EngineCall[] = [];
  return { calls, onCall: (call) => calls.push(call) };
}
