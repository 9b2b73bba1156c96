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
import { FOUNDATION, STANDARD_SETTINGS } from './inputs.js';

export const BACK_STORE = 'Back Store';

/**
 * A shop that keeps stock in a back store and sells from the shop floor: a retail catalogue,
 * and stock that may never go negative (a till must not sell what the shop does not hold).
 */
export const retail: Template = {
  key: ProvisioningTemplate.RETAIL,
  title: 'Retail shop',
  description: 'Point of sale with a back store, a retail catalogue and stock that may not go negative.',
  steps: [
    ...FOUNDATION,
    { step: warehouses, input: { main: mainWarehouseName, more: [BACK_STORE], posStore: true } },
    { step: settings, input: { selling: STANDARD_SETTINGS.selling, stock: { ...STANDARD_SETTINGS.stock, allow_negative_stock: 0 } } },
    {
      step: demoItems,
      input: {
        items: [
          { itemName: 'Cotton T-Shirt', standardRate: 900, itemGroup: 'Products', stockItem: true },
          { itemName: 'Denim Jeans', standardRate: 2500, itemGroup: 'Products', stockItem: true },
          { itemName: 'Canvas Sneakers', standardRate: 3200, itemGroup: 'Products', stockItem: true },
        ],
      },
    },
    { step: customer },
    { step: posProfile },
    { step: posSession },
    { step: finalize, input: { requires: ['company', 'posProfile'] } },
  ],
};
