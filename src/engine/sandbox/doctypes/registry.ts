/** Every DocType the sandbox serves, by name. */
import { frappeThrow } from '../errors.js';
import {
  ACCOUNT,
  COST_CENTER,
  ITEM_TAX_TEMPLATE,
  MODE_OF_PAYMENT,
  PURCHASE_TAXES_TEMPLATE,
  SALES_TAXES_TEMPLATE,
} from './accounts.js';
import { COMPANY } from './company.js';
import { COUNTRY, CURRENCY, CUSTOMER_GROUP, DEPARTMENT, ITEM_GROUP, PRICE_LIST, ROLE, TERRITORY, UOM } from './masters.js';
import { GL_ENTRY, STOCK_LEDGER_ENTRY } from './ledger.js';
import type { DocTypeDef } from './meta.js';
import { POS_CLOSING_ENTRY } from './pos-closing.js';
import { POS_OPENING_ENTRY, POS_PROFILE } from './pos.js';
import { CUSTOMER } from './selling.js';
import { POS_SETTINGS, SELLING_SETTINGS, STOCK_SETTINGS } from './settings.js';
import { ITEM, WAREHOUSE } from './stock.js';
import { USER } from './users.js';

export const DOCTYPES: ReadonlyMap<string, DocTypeDef> = new Map(
  [
    ROLE,
    USER,
    COUNTRY,
    CURRENCY,
    UOM,
    ITEM_GROUP,
    CUSTOMER_GROUP,
    TERRITORY,
    PRICE_LIST,
    COMPANY,
    ACCOUNT,
    COST_CENTER,
    WAREHOUSE,
    DEPARTMENT,
    SALES_TAXES_TEMPLATE,
    PURCHASE_TAXES_TEMPLATE,
    ITEM_TAX_TEMPLATE,
    MODE_OF_PAYMENT,
    SELLING_SETTINGS,
    STOCK_SETTINGS,
    POS_SETTINGS,
    ITEM,
    CUSTOMER,
    POS_PROFILE,
    POS_OPENING_ENTRY,
    POS_CLOSING_ENTRY,
    GL_ENTRY,
    STOCK_LEDGER_ENTRY,
  ].map((def) => [def.name, def]),
);

/** The DocType, or Frappe's 404 for an unknown one: "DocType Foo not found". */
export function docTypeOf(doctype: string): DocTypeDef {
  const def = DOCTYPES.get(doctype);
  if (!def) throw frappeThrow(`DocType ${doctype} not found`, 'DoesNotExistError');
  return def;
}
