import { SECOND } from '../../../lib/time.js';
import { StepCriticality, StepKey } from '../../model.js';
import { walkInCustomerName } from '../naming.js';
import { required, type StepDefinition } from '../step-definition.js';

export const customer: StepDefinition = {
  key: StepKey.CUSTOMER,
  title: 'Create the walk-in customer',
  criticality: StepCriticality.CRITICAL,
  dependsOn: [StepKey.COMPANY],
  timeoutMs: 30 * SECOND,
  async run({ engine, resources, signal }) {
    const abbr = required(resources, 'abbr');
    const ensured = await engine.ensureCustomer(
      { customerName: walkInCustomerName(abbr), customerType: 'Individual', customerGroup: 'Individual', territory: 'All Territories' },
      { signal },
    );
    return {
      message: ensured.created ? `Created customer ${ensured.name}` : `Customer ${ensured.name} already exists`,
      resources: { customer: ensured.name },
    };
  },
};
