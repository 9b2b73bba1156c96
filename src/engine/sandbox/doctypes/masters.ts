/**
 * Master data the setup wizard installs (`install_fixtures`): simple documents named after one
 * field, plus Department (named "{dept} - ABBR", created per company by the Company insert).
 */
import type { Doc } from '../document.js';
import { nameFromField, nameWithAbbr, text, type DocTypeDef } from './meta.js';
import { ACCOUNTS_MANAGER, ALL, HR_MANAGER, ITEM_MANAGER, SALES_MASTER_MANAGER, STOCK_MANAGER, SYSTEM_MANAGER } from './roles.js';

export const ALL_DEPARTMENTS = 'All Departments';

export const COUNTRY: DocTypeDef = {
  name: 'Country',
  fields: { country_name: { label: 'Country Name', reqd: true }, code: { label: 'Code' } },
  permissions: { read: [ALL], write: [SYSTEM_MANAGER] },
  autoname: nameFromField('country_name'),
};

export const CURRENCY: DocTypeDef = {
  name: 'Currency',
  fields: { currency_name: { label: 'Currency Name', reqd: true }, enabled: { label: 'Enabled', default: 0 } },
  permissions: { read: [ALL], write: [SYSTEM_MANAGER, ACCOUNTS_MANAGER] },
  autoname: nameFromField('currency_name'),
};

export const UOM: DocTypeDef = {
  name: 'UOM',
  fields: {
    uom_name: { label: 'UOM Name', reqd: true },
    enabled: { label: 'Enabled', default: 1 },
    must_be_whole_number: { label: 'Must be Whole Number', default: 0 },
  },
  permissions: { read: [ALL], write: [ITEM_MANAGER, STOCK_MANAGER] },
  autoname: nameFromField('uom_name'),
};

export const ITEM_GROUP: DocTypeDef = {
  name: 'Item Group',
  fields: {
    item_group_name: { label: 'Item Group Name', reqd: true },
    parent_item_group: { label: 'Parent Item Group', link: 'Item Group' },
    is_group: { label: 'Is Group', default: 0 },
  },
  permissions: { read: [ALL], write: [ITEM_MANAGER] },
  autoname: nameFromField('item_group_name'),
};

export const CUSTOMER_GROUP: DocTypeDef = {
  name: 'Customer Group',
  fields: {
    customer_group_name: { label: 'Customer Group Name', reqd: true },
    parent_customer_group: { label: 'Parent Customer Group', link: 'Customer Group' },
    is_group: { label: 'Is Group', default: 0 },
  },
  permissions: { read: [ALL], write: [SALES_MASTER_MANAGER] },
  autoname: nameFromField('customer_group_name'),
};

export const TERRITORY: DocTypeDef = {
  name: 'Territory',
  fields: {
    territory_name: { label: 'Territory Name', reqd: true },
    parent_territory: { label: 'Parent Territory', link: 'Territory' },
    is_group: { label: 'Is Group', default: 0 },
  },
  permissions: { read: [ALL], write: [SALES_MASTER_MANAGER] },
  autoname: nameFromField('territory_name'),
};

export const PRICE_LIST: DocTypeDef = {
  name: 'Price List',
  fields: {
    price_list_name: { label: 'Price List Name', reqd: true },
    currency: { label: 'Currency', link: 'Currency', reqd: true },
    enabled: { label: 'Enabled', default: 1 },
    buying: { label: 'Buying', default: 0 },
    selling: { label: 'Selling', default: 0 },
  },
  permissions: { read: [ALL], write: [SALES_MASTER_MANAGER, ITEM_MANAGER] },
  autoname: nameFromField('price_list_name'),
};

export const ROLE: DocTypeDef = {
  name: 'Role',
  fields: { role_name: { label: 'Role Name', reqd: true }, desk_access: { label: 'Desk Access', default: 1 } },
  permissions: { read: [SYSTEM_MANAGER], write: [SYSTEM_MANAGER] },
  autoname: nameFromField('role_name'),
};

export const DEPARTMENT: DocTypeDef = {
  name: 'Department',
  fields: {
    department_name: { label: 'Department', reqd: true },
    company: { label: 'Company', link: 'Company' },
    parent_department: { label: 'Parent Department', link: 'Department' },
    is_group: { label: 'Is Group', default: 0 },
  },
  permissions: { read: [ALL], write: [HR_MANAGER, SYSTEM_MANAGER] },
  // `department.py` autoname: the root keeps its name, the rest get the company suffix.
  autoname: (doc: Doc, ctx) =>
    text(doc.department_name) === ALL_DEPARTMENTS ? ALL_DEPARTMENTS : nameWithAbbr(ctx, text(doc.department_name), doc.company),
};
