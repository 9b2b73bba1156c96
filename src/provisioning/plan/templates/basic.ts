import { ProvisioningTemplate } from '../../model.js';
import { mainWarehouseName } from '../naming.js';
import { finalize } from '../steps/finalize.js';
import { settings } from '../steps/settings.js';
import { warehouses } from '../steps/warehouses.js';
import type { Template } from '../template.js';
import { FOUNDATION, STANDARD_SETTINGS } from './inputs.js';

/** The books without a till: for a business that invoices from the desk, or adds a POS later. */
export const basic: Template = {
  key: ProvisioningTemplate.BASIC,
  title: 'Basic',
  description: 'Company, chart of accounts, a main warehouse and settings; no point of sale.',
  steps: [
    ...FOUNDATION,
    { step: warehouses, input: { main: mainWarehouseName, more: [], posStore: false } },
    { step: settings, input: STANDARD_SETTINGS },
    { step: finalize, input: { requires: ['company', 'warehouses'] } },
  ],
};
