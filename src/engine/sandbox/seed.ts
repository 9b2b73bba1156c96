/**
 * What a site looks like after its setup wizard and `install_fixtures`: users with
 * API keys, countries, currencies, groups, territories, modes of payment, UOMs, price lists and
 * the Selling/Stock/POS Settings singles. No company: provisioning creates those.
 */
import { ALL_DEPARTMENTS } from './doctypes/masters.js';
import { COUNTRIES as ALL_COUNTRIES } from '../../lib/countries.js';
import type { DocContext } from './doctypes/meta.js';
import { ADMINISTRATOR_ROLE, SEEDED_ROLES, SYSTEM_MANAGER } from './doctypes/roles.js';
import { ADMINISTRATOR, GUEST } from './permissions.js';

export interface SeedCredentials {
  apiKey: string;
  apiSecret: string;
}

const HOOK = { ignorePermissions: true } as const;

/** Every country, as frappe's install creates them. */
const COUNTRIES = ALL_COUNTRIES.map(([code, name]) => [name, code.toLowerCase()] as const);

/** The wizard's currency (USD here) is enabled; Company inserts enable their own. */
const CURRENCIES = [
  ['KES', 'KSh', 0],
  ['UGX', 'USh', 0],
  ['TZS', 'TSh', 0],
  ['RWF', 'FRw', 0],
  ['USD', '$', 1],
  ['GBP', '£', 0],
  ['EUR', '€', 0],
] as const;

const UOMS = ['Nos', 'Unit', 'Box', 'Pair', 'Kg', 'Gram', 'Litre', 'Meter', 'Hour'] as const;
const WHOLE_NUMBER_UOMS: ReadonlySet<string> = new Set(['Nos', 'Unit', 'Box', 'Pair']);

const MODES_OF_PAYMENT = [
  ['Cheque', 'Bank'],
  ['Cash', 'Cash'],
  ['Credit Card', 'Bank'],
  ['Wire Transfer', 'Bank'],
  ['Bank Draft', 'Bank'],
] as const;

/** Inserts the seed through the normal document pipeline, as Administrator, in one transaction. */
export function seedSite(ctx: DocContext, credentials: SeedCredentials): void {
  for (const role of SEEDED_ROLES) ctx.insert('Role', { role_name: role }, HOOK);
  seedUsers(ctx, credentials);
  for (const [country_name, code] of COUNTRIES) ctx.insert('Country', { country_name, code }, HOOK);
  for (const [currency_name, symbol, enabled] of CURRENCIES) ctx.insert('Currency', { currency_name, symbol, enabled }, HOOK);
  for (const uom_name of UOMS) {
    ctx.insert('UOM', { uom_name, must_be_whole_number: WHOLE_NUMBER_UOMS.has(uom_name) ? 1 : 0 }, HOOK);
  }
  seedTree(ctx, 'Item Group', 'item_group_name', 'parent_item_group', 'All Item Groups', [
    'Products',
    'Raw Material',
    'Services',
    'Sub Assemblies',
    'Consumable',
  ]);
  seedTree(ctx, 'Territory', 'territory_name', 'parent_territory', 'All Territories', [
    ...COUNTRIES.map(([country]) => country),
    'Rest Of The World',
  ]);
  seedTree(ctx, 'Customer Group', 'customer_group_name', 'parent_customer_group', 'All Customer Groups', [
    'Individual',
    'Commercial',
    'Non Profit',
    'Government',
  ]);
  for (const [mode_of_payment, type] of MODES_OF_PAYMENT) ctx.insert('Mode of Payment', { mode_of_payment, type }, HOOK);
  ctx.insert('Price List', { price_list_name: 'Standard Buying', currency: 'USD', buying: 1 }, HOOK);
  ctx.insert('Price List', { price_list_name: 'Standard Selling', currency: 'USD', selling: 1 }, HOOK);
  ctx.insert('Department', { department_name: ALL_DEPARTMENTS, is_group: 1 }, HOOK);
  // `install_fixtures`.
  ctx.insert(
    'Selling Settings',
    {
      cust_master_name: 'Customer Name',
      so_required: 'No',
      dn_required: 'No',
      allow_multiple_items: 1,
      sales_update_frequency: 'Each Transaction',
    },
    HOOK,
  );
  ctx.insert(
    'Stock Settings',
    {
      item_naming_by: 'Item Code',
      valuation_method: 'FIFO',
      stock_uom: 'Nos',
      auto_indent: 1,
      auto_insert_price_list_rate_if_missing: 1,
      update_price_list_based_on: 'Rate',
      allow_negative_stock: 0,
    },
    HOOK,
  );
  ctx.insert('POS Settings', { invoice_type: 'Sales Invoice' }, HOOK);
}

/** Administrator holds the configured API key; Guest is the session of requests without one. */
function seedUsers(ctx: DocContext, credentials: SeedCredentials): void {
  const now = ctx.clock.timestamp();
  const standard = { owner: ADMINISTRATOR, creation: now, modified: now, modified_by: ADMINISTRATOR, docstatus: 0, idx: 0 };
  const roleRow = (user: string, role: string, idx: number) => ({
    name: `${user.toLowerCase()}-${idx}`,
    ...standard,
    idx,
    role,
    parent: user,
    parentfield: 'roles',
    parenttype: 'User',
    doctype: 'Has Role',
  });
  ctx.store.put({
    name: ADMINISTRATOR,
    ...standard,
    email: 'admin@example.com',
    first_name: ADMINISTRATOR,
    full_name: ADMINISTRATOR,
    enabled: 1,
    user_type: 'System User',
    api_key: credentials.apiKey,
    api_secret: credentials.apiSecret,
    roles: [roleRow(ADMINISTRATOR, ADMINISTRATOR_ROLE, 1), roleRow(ADMINISTRATOR, SYSTEM_MANAGER, 2)],
    doctype: 'User',
  });
  ctx.store.put({
    name: GUEST,
    ...standard,
    email: 'guest@example.com',
    first_name: GUEST,
    full_name: GUEST,
    enabled: 1,
    user_type: 'Website User',
    roles: [roleRow(GUEST, 'Guest', 1)],
    doctype: 'User',
  });
}

/** A tree master: the group root, then its leaves (`install_fixtures`). */
function seedTree(ctx: DocContext, doctype: string, nameField: string, parentField: string, root: string, leaves: string[]): void {
  ctx.insert(doctype, { [nameField]: root, is_group: 1 }, HOOK);
  for (const leaf of leaves) ctx.insert(doctype, { [nameField]: leaf, [parentField]: root, is_group: 0 }, HOOK);
}
