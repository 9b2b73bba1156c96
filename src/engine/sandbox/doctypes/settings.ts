/**
 * The single doctypes the provisioning touches: Selling, Stock and
 * POS Settings. Their validate writes global defaults in ERPNext; the sandbox reads them back from
 * the singles directly (`globalDefaults`), which gives new documents the same defaults.
 */
import type { Doc } from '../document.js';
import { frappeThrow } from '../errors.js';
import type { Store } from '../store.js';
import { isBlank, text, type DocTypeDef } from './meta.js';
import { ACCOUNTS_MANAGER, ALL, SALES_MANAGER, STOCK_MANAGER, SYSTEM_MANAGER } from './roles.js';

/** Singles have one row, named after the doctype; any name in the URL finds it. */
const singleName = (doc: Doc): string => doc.doctype;

export const SELLING_SETTINGS: DocTypeDef = {
  name: 'Selling Settings',
  single: true,
  fields: {
    cust_master_name: { label: 'Customer Naming By', options: ['Customer Name', 'Naming Series', 'Auto Name'] },
    customer_group: { label: 'Default Customer Group', link: 'Customer Group' },
    territory: { label: 'Default Territory', link: 'Territory' },
    selling_price_list: { label: 'Default Price List', link: 'Price List' },
    so_required: { label: 'Is Sales Order Required for Sales Invoice & Delivery Note Creation?', options: ['No', 'Yes'] },
    dn_required: { label: 'Is Delivery Note Required for Sales Invoice Creation?', options: ['No', 'Yes'] },
    sales_update_frequency: {
      label: 'Sales Update Frequency in Company and Project',
      reqd: true,
      options: ['Monthly', 'Each Transaction', 'Daily'],
    },
  },
  permissions: { read: [ALL], write: [SYSTEM_MANAGER, SALES_MANAGER] },
  autoname: singleName,
};

export const STOCK_SETTINGS: DocTypeDef = {
  name: 'Stock Settings',
  single: true,
  fields: {
    item_naming_by: { label: 'Item Naming By', options: ['Item Code', 'Naming Series'] },
    item_group: { label: 'Default Item Group', link: 'Item Group' },
    stock_uom: { label: 'Default Stock UOM', link: 'UOM' },
    default_warehouse: { label: 'Default Warehouse', link: 'Warehouse' },
    valuation_method: { label: 'Default Valuation Method', options: ['FIFO', 'Moving Average', 'LIFO'] },
    allow_negative_stock: { label: 'Allow Negative Stock', default: 0 },
  },
  permissions: { read: [ALL], write: [STOCK_MANAGER] },
  autoname: singleName,
  // `stock_settings.py` validate_warehouses: a group warehouse cannot be the default.
  validate: (doc, ctx) => {
    if (isBlank(doc.default_warehouse)) return;
    const warehouse = ctx.store.get('Warehouse', text(doc.default_warehouse));
    if (warehouse && Number(warehouse.is_group)) {
      throw frappeThrow(
        'Group Warehouses cannot be used in transactions. Please change the value of <strong>Default Warehouse</strong>',
        'ValidationError',
        'Incorrect Warehouse',
      );
    }
  },
};

export const POS_SETTINGS: DocTypeDef = {
  name: 'POS Settings',
  single: true,
  fields: { invoice_type: { label: 'Invoice Type', options: ['Sales Invoice', 'POS Invoice'] } },
  permissions: { read: [ALL], write: [SYSTEM_MANAGER, ACCOUNTS_MANAGER] },
  autoname: singleName,
};

/** Settings fields Selling/Stock Settings publish as global defaults (`frappe.defaults`). */
const DEFAULT_SOURCES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['Selling Settings', ['cust_master_name', 'customer_group', 'territory', 'selling_price_list']],
  ['Stock Settings', ['item_naming_by', 'item_group', 'stock_uom', 'default_warehouse']],
];

export function globalDefaults(store: Store): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [doctype, fields] of DEFAULT_SOURCES) {
    const single = store.get(doctype, doctype);
    for (const field of fields) if (single && !isBlank(single[field])) defaults[field] = single[field];
  }
  return defaults;
}
