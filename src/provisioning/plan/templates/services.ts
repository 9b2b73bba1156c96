import { ProvisioningTemplate } from '../../model.js';
import { mainWarehouseName } from '../naming.js';
import { customer } from '../steps/customer.js';
import { demoItems } from '../steps/demo-items.js';
import { finalize } from '../steps/finalize.js';
import { posProfile } from '../steps/pos-profile.js';
import { settings } from '../steps/settings.js';
import { warehouses } from '../steps/warehouses.js';
import type { Template } from '../template.js';
import { FOUNDATION, STANDARD_SETTINGS } from './inputs.js';

/**
 * A salon, a repair shop, a clinic: services charged at the counter. One warehouse for the few
 * goods on the side, services that hold no stock, and no till to open at provisioning (a
 * service desk opens its POS session when the first customer comes in).
 */
export const services: Template = {
  key: ProvisioningTemplate.SERVICES,
  title: 'Services',
  description: 'Point of sale for services: one warehouse, service items that hold no stock, no POS session opened in advance.',
  steps: [
    ...FOUNDATION,
    { step: warehouses, input: { main: mainWarehouseName, more: [], posStore: false } },
    // Services are not delivered: an invoice needs neither a sales order nor a delivery note.
    { step: settings, input: { selling: { ...STANDARD_SETTINGS.selling, so_required: 'No', dn_required: 'No' }, stock: STANDARD_SETTINGS.stock } },
    {
      step: demoItems,
      input: {
        items: [
          { itemName: 'Haircut', standardRate: 500, itemGroup: 'Services', stockItem: false },
          { itemName: 'Repair, first hour', standardRate: 1500, itemGroup: 'Services', stockItem: false },
          { itemName: 'Consultation', standardRate: 2000, itemGroup: 'Services', stockItem: false },
        ],
      },
    },
    { step: customer },
    { step: posProfile },
    { step: finalize, input: { requires: ['company', 'posProfile'] } },
  ],
};
