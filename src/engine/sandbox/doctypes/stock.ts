/** Warehouse (erpnext `stock/doctype/warehouse/warehouse.py`) and Item (`stock/doctype/item/item.py`). */
import { cloneDoc, randomRowName, type Doc } from '../document.js';
import { frappeThrow } from '../errors.js';
import { companyAbbr, isBlank, rows, text, type DocContext, type DocTypeDef } from './meta.js';
import { globalDefaults } from './settings.js';
import { ACCOUNTS_USER, ALL, ITEM_MANAGER, SALES_USER, STOCK_MANAGER, STOCK_USER } from './roles.js';

export const WAREHOUSE: DocTypeDef = {
  name: 'Warehouse',
  fields: {
    warehouse_name: { label: 'Warehouse Name', reqd: true },
    company: { label: 'Company', link: 'Company', reqd: true },
    parent_warehouse: { label: 'Parent Warehouse', link: 'Warehouse' },
    account: { label: 'Account', link: 'Account' },
    is_group: { label: 'Is Group Warehouse', default: 0 },
    disabled: { label: 'Disabled', default: 0 },
  },
  permissions: { read: [STOCK_USER, SALES_USER, ACCOUNTS_USER], write: [ITEM_MANAGER, STOCK_MANAGER] },
  // `warehouse.py` autoname: add " - ABBR" unless the name already ends with it.
  autoname: (doc, ctx) => {
    const warehouseName = text(doc.warehouse_name).trim();
    const abbr = companyAbbr(ctx, doc.company);
    if (!abbr) return warehouseName;
    const suffix = ` - ${abbr}`;
    return warehouseName.endsWith(suffix) ? warehouseName : `${warehouseName}${suffix}`;
  },
  onTrash: refuseOrUnlinkWarehouse,
};

/**
 * `warehouse.py` on_trash: never a warehouse with stock ledger entries (any, cancelled too) or
 * child warehouses; otherwise items stop naming it as their default warehouse.
 */
function refuseOrUnlinkWarehouse(warehouse: Doc, ctx: DocContext): void {
  if (ctx.store.find('Stock Ledger Entry', (entry) => entry.warehouse === warehouse.name)) {
    throw frappeThrow('Warehouse can not be deleted as stock ledger entry exists for this warehouse.');
  }
  if (ctx.store.find('Warehouse', (child) => child.parent_warehouse === warehouse.name)) {
    throw frappeThrow('Child warehouse exists for this warehouse. You can not delete this warehouse.');
  }
  // unlink_from_items: `set_value("Item Default", {"default_warehouse": name}, "default_warehouse", None)`
  for (const item of ctx.store.all('Item')) {
    const defaults = rows(item, 'item_defaults');
    if (!defaults.some((row) => row.default_warehouse === warehouse.name)) continue;
    const unlinked = defaults.map((row) => (row.default_warehouse === warehouse.name ? { ...row, default_warehouse: null } : row));
    ctx.store.put({ ...cloneDoc(item), item_defaults: unlinked });
  }
}

export const ITEM: DocTypeDef = {
  name: 'Item',
  fields: {
    item_code: { label: 'Item Code' },
    item_group: { label: 'Item Group', link: 'Item Group', reqd: true },
    stock_uom: { label: 'Default Unit of Measure', link: 'UOM', reqd: true },
    is_stock_item: { label: 'Maintain Stock', default: 1 },
    is_sales_item: { label: 'Is Sales Item', default: 1 },
    include_item_in_manufacturing: { label: 'Include Item In Manufacturing', default: 1 },
    disabled: { label: 'Disabled', default: 0 },
  },
  tables: {
    uoms: {
      label: 'UOMs',
      childDoctype: 'UOM Conversion Detail',
      fields: { uom: { label: 'UOM', link: 'UOM', reqd: true } },
    },
    item_defaults: {
      label: 'Item Defaults',
      childDoctype: 'Item Default',
      fields: {
        company: { label: 'Company', link: 'Company', reqd: true },
        default_warehouse: { label: 'Default Warehouse', link: 'Warehouse' },
        default_price_list: { label: 'Default Price List', link: 'Price List' },
      },
    },
  },
  permissions: { read: [ALL], write: [ITEM_MANAGER] },
  autoname: nameItem,
  validate: validateItem,
};

/** `item.py` autoname: the item code, or the `STO-ITEM-.YYYY.-` series when so configured. */
function nameItem(doc: Doc, ctx: DocContext): string {
  if (globalDefaults(ctx.store).item_naming_by === 'Naming Series') {
    const series = `STO-ITEM-${new Date().getFullYear()}-`;
    const name = `${series}${String(ctx.store.nextInSeries(series)).padStart(5, '0')}`;
    doc.item_code = name;
    return name;
  }
  if (isBlank(doc.item_code)) throw frappeThrow('Item Code is mandatory because Item is not automatically numbered');
  doc.item_code = text(doc.item_code).trim();
  return text(doc.item_code);
}

/** `item.py` validate: names and descriptions filled in, the stock UOM in the UOM table. */
function validateItem(doc: Doc, ctx: DocContext): void {
  if (isBlank(doc.item_name)) doc.item_name = doc.item_code;
  if (isBlank(doc.description)) doc.description = doc.item_name;
  const uoms = rows(doc, 'uoms');
  if (!isBlank(doc.stock_uom) && !uoms.some((row) => text(row.uom) === text(doc.stock_uom))) {
    const now = ctx.clock.timestamp();
    uoms.push({
      name: randomRowName(),
      owner: ctx.user,
      creation: now,
      modified: now,
      modified_by: ctx.user,
      docstatus: 0,
      idx: uoms.length + 1,
      uom: doc.stock_uom,
      conversion_factor: 1,
      parent: doc.name,
      parentfield: 'uoms',
      parenttype: 'Item',
      doctype: 'UOM Conversion Detail',
    });
    doc.uoms = uoms;
  }
  const companies = rows(doc, 'item_defaults').map((row) => text(row.company));
  if (new Set(companies).size !== companies.length) throw frappeThrow('Cannot set multiple Item Defaults for a company.');
}
