import { SECOND } from '../../../../lib/time.js';
import { StepCriticality, StepKey } from '../../../model.js';
import { walkInCustomerName } from '../../naming.js';
import { required, type StepDefinition } from '../../step-definition.js';
import { reported, unlessRecorded } from './outcomes.js';

/** The walk-in customer, after the POS profile that names it; found by the name provisioning gave it. */
export const removeCustomer: StepDefinition = {
  key: StepKey.REMOVE_CUSTOMER,
  title: 'Delete the walk-in customer',
  criticality: StepCriticality.CRITICAL,
  dependsOn: [StepKey.REMOVE_POS_PROFILE],
  timeoutMs: 30 * SECOND,
  skipReason: unlessRecorded('customer', 'customer'),
  async run({ engine, resources, signal }) {
    const customerName = walkInCustomerName(required(resources, 'abbr'));
    return reported('customer', await engine.removeCustomer(customerName, { signal }));
  },
};
