import { chartOfAccounts } from '../steps/chart-of-accounts.js';
import { company } from '../steps/company.js';
import type { DemoItem } from '../steps/demo-items.js';
import { engineCheck } from '../steps/engine-check.js';
import { engineUser } from '../steps/engine-user.js';
import type { SettingsInput } from '../steps/settings.js';
import type { TemplateStep } from '../template.js';

/** What every business starts with: a reachable engine, its user, the company and its books. */
export const FOUNDATION: readonly TemplateStep[] = [{ step: engineCheck }, { step: engineUser }, { step: company }, { step: chartOfAccounts }];

/** What a point of sale needs of the site: walk-in customers by name, one price list. */
const POS_SELLING_SETTINGS = {
  cust_master_name: 'Customer Name',
  selling_price_list: 'Standard Selling',
  customer_group: 'Individual',
  territory: 'All Territories',
};

/**
 * Selling and Stock Settings are singles: one per ERPNext site, shared by every company on it.
 * So templates only add settings to these, never contradict them, or tenants of different
 * templates on one site would undo each other (and ERPNext refuses to change the valuation
 * method once stock has moved).
 */
export const STANDARD_SETTINGS: SettingsInput = {
  selling: POS_SELLING_SETTINGS,
  stock: { item_naming_by: 'Item Code', valuation_method: 'FIFO', stock_uom: 'Nos' },
};

export const GROCERY_ITEMS: readonly DemoItem[] = [
  { itemName: 'Bottled Water 500ml', standardRate: 50, itemGroup: 'Products', stockItem: true },
  { itemName: 'Bread Loaf 400g', standardRate: 65, itemGroup: 'Products', stockItem: true },
  { itemName: 'Sugar 1kg', standardRate: 180, itemGroup: 'Products', stockItem: true },
];
