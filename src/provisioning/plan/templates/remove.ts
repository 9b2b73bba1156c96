import { DeprovisionMode } from '../../model.js';
import { removeCompany } from '../steps/deprovision/remove-company.js';
import { removeCustomer } from '../steps/deprovision/remove-customer.js';
import { removeEngineUser } from '../steps/deprovision/remove-engine-user.js';
import { removeItems } from '../steps/deprovision/remove-items.js';
import { removePosProfile } from '../steps/deprovision/remove-pos-profile.js';
import { removePosSessions } from '../steps/deprovision/remove-pos-sessions.js';
import { removeWarehouses } from '../steps/deprovision/remove-warehouses.js';
import type { DeprovisionTemplate } from '../template.js';
import { disable } from './disable.js';

/**
 * DISABLE first, so that whatever ERPNext then keeps (a company with transactions, a warehouse
 * that held stock) is at least closed and nobody's to sign in to; then what provisioning created,
 * deleted in the reverse order of its creation.
 */
export const remove: DeprovisionTemplate = {
  key: DeprovisionMode.REMOVE,
  title: 'Remove',
  description: 'Disables as DISABLE does, then deletes what provisioning created, in reverse order, where ERPNext allows it; a company with transactions is kept.',
  steps: [
    ...disable.steps,
    { step: removePosSessions },
    { step: removePosProfile },
    { step: removeCustomer },
    { step: removeItems },
    { step: removeWarehouses },
    { step: removeCompany },
    { step: removeEngineUser },
  ],
};
