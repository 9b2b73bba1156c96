import { SECOND } from '../../../../lib/time.js';
import { StepCriticality, StepKey } from '../../../model.js';
import { required, type StepDefinition } from '../../step-definition.js';
import { reportedEach, unlessRecorded } from './outcomes.js';

/**
 * The warehouses provisioning created (not the company's defaults: deleting the company takes
 * those), after the POS profile that names one. One that held stock is kept.
 */
export const removeWarehouses: StepDefinition = {
  key: StepKey.REMOVE_WAREHOUSES,
  title: 'Delete the warehouses',
  criticality: StepCriticality.CRITICAL,
  dependsOn: [StepKey.REMOVE_POS_PROFILE],
  timeoutMs: 30 * SECOND,
  skipReason: unlessRecorded('warehouses', 'warehouse'),
  async run({ engine, resources, signal }) {
    const { main, pos, more = [] } = required(resources, 'warehouses');
    const names = [...(pos ? [pos] : []), ...more, main];
    // Siblings, created side by side: deleted side by side.
    const results = await Promise.all(names.map((name) => engine.removeWarehouse(name, { signal })));
    return reportedEach('warehouse', results, 'No warehouse to delete');
  },
};
