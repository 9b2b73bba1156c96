/** Customer: named by `cust_master_name`, duplicates suffixed instead of refused. */
import type { Doc } from '../document.js';
import { frappeThrow, msgprint } from '../errors.js';
import { text, type DocContext, type DocTypeDef } from './meta.js';
import { globalDefaults } from './settings.js';
import { ACCOUNTS_USER, SALES_MASTER_MANAGER, SALES_USER, STOCK_USER } from './roles.js';

export const CUSTOMER: DocTypeDef = {
  name: 'Customer',
  fields: {
    customer_name: { label: 'Customer Name', reqd: true },
    customer_type: { label: 'Customer Type', reqd: true, default: 'Company', options: ['Company', 'Individual', 'Partnership'] },
    // reqd in the v14/v15-era json; filled from Selling Settings defaults when not sent.
    customer_group: { label: 'Customer Group', link: 'Customer Group', reqd: true },
    territory: { label: 'Territory', link: 'Territory', reqd: true },
    default_price_list: { label: 'Default Price List', link: 'Price List' },
    default_currency: { label: 'Billing Currency', link: 'Currency' },
    disabled: { label: 'Disabled', default: 0 },
  },
  permissions: { read: [ACCOUNTS_USER, STOCK_USER], write: [SALES_USER, SALES_MASTER_MANAGER] },
  autoname: nameCustomer,
  onUpdate: (doc, ctx) => {
    // `validate_name_with_customer_group` runs in on_update: 409 NameError.
    if (ctx.store.has('Customer Group', doc.name)) {
      throw frappeThrow(
        'A Customer Group exists with same name please change the Customer name or rename the Customer Group',
        'NameError',
      );
    }
  },
};

/** `customer.py` autoname + get_customer_name. */
function nameCustomer(doc: Doc, ctx: DocContext): string {
  const namingBy = globalDefaults(ctx.store).cust_master_name ?? 'Customer Name';
  if (namingBy === 'Naming Series') {
    const series = `CUST-${new Date().getFullYear()}-`;
    return `${series}${String(ctx.store.nextInSeries(series)).padStart(5, '0')}`;
  }
  if (namingBy !== 'Customer Name') return '';
  const customerName = text(doc.customer_name).trim();
  if (!ctx.store.has('Customer', customerName)) return customerName;
  // `select max(cast(substring_index(name, ' ', -1) as unsigned)) ... where name like '%{name} - %'`
  const infix = `${customerName} - `.toLowerCase();
  let highest = 0;
  for (const existing of ctx.store.all('Customer')) {
    if (!existing.name.toLowerCase().includes(infix)) continue;
    const suffix = Number.parseInt(existing.name.slice(existing.name.lastIndexOf(' ') + 1), 10);
    if (!Number.isNaN(suffix)) highest = Math.max(highest, suffix);
  }
  const newName = `${customerName} - ${highest + 1}`;
  ctx.messages.push(
    msgprint(`Changed customer name to '${newName}' as '${customerName}' already exists.`, {
      title: 'Note',
      indicator: 'yellow',
      alert: true,
    }),
  );
  return newName;
}
