import { ProvisioningTemplate } from '../../model.js';
import { mainWarehouseName } from '../naming.js';
import { customer } from '../steps/customer.js';
import { demoItems } from '../steps/demo-items.js';
import { finalize } from '../steps/finalize.js';
import { posProfile } from '../steps/pos-profile.js';
import { posSession } from '../steps/pos-session.js';
import { settings } from '../steps/settings.js';
import { warehouses } from '../steps/warehouses.js';
import type { Template } from '../template.js';
import { FOUNDATION, GROCERY_ITEMS, STANDARD_SETTINGS } from './inputs.js';

/** The original plan: everything a shop needs to sell from its first day, the eleven steps. */
export const fullPos: Template = {
  key: ProvisioningTemplate.FULL_POS,
  title: 'Point of sale',
  description: 'Company, chart of accounts, main and POS warehouses, walk-in customer, POS profile and an open POS session.',
  steps: [
    ...FOUNDATION,
    { step: warehouses, input: { main: mainWarehouseName, more: [], posStore: true } },
    { step: settings, input: STANDARD_SETTINGS },
    { step: demoItems, input: { items: GROCERY_ITEMS } },
    { step: customer },
    { step: posProfile },
    { step: posSession },
    { step: finalize, input: { requires: ['company', 'posProfile'] } },
  ],
};
