import { SECOND } from '../../../lib/time.js';
import { StepCriticality, StepKey } from '../../model.js';
import { posProfileName } from '../naming.js';
import { required, type StepDefinition } from '../step-definition.js';

export const posProfile: StepDefinition = {
  key: StepKey.POS_PROFILE,
  title: 'Create the POS profile',
  criticality: StepCriticality.CRITICAL,
  dependsOn: [StepKey.ENGINE_USER, StepKey.CHART_OF_ACCOUNTS, StepKey.WAREHOUSES, StepKey.CUSTOMER],
  timeoutMs: 30 * SECOND,
  async run({ engine, resources, signal }) {
    const company = required(resources, 'company');
    const warehouses = required(resources, 'warehouses');
    const costCenter = required(resources, 'costCenter');
    const ensured = await engine.ensurePosProfile(
      {
        name: posProfileName(company),
        company,
        currency: required(resources, 'currency'),
        warehouse: warehouses.pos ?? warehouses.main,
        writeOffAccount: required(resources, 'writeOffAccount'),
        writeOffCostCenter: costCenter,
        costCenter,
        sellingPriceList: 'Standard Selling',
        customer: required(resources, 'customer'),
        payments: [{ modeOfPayment: 'Cash', default: true }],
        users: [{ user: required(resources, 'engineUser'), default: true }],
      },
      { signal },
    );
    return {
      message: ensured.created ? `Created POS profile ${ensured.name}` : `POS profile ${ensured.name} already exists`,
      resources: { posProfile: ensured.name },
    };
  },
};
