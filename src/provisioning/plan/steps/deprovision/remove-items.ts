import { SECOND } from '../../../../lib/time.js';
import { StepCriticality, StepKey } from '../../../model.js';
import { required, type StepDefinition } from '../../step-definition.js';
import { reportedEach, unlessRecorded } from './outcomes.js';

/** The demo items; one a ledger entry names (it was sold or stocked) is kept. Once the till is disabled. */
export const removeItems: StepDefinition = {
  key: StepKey.REMOVE_ITEMS,
  title: 'Delete the demo items',
  criticality: StepCriticality.CRITICAL,
  dependsOn: [StepKey.DISABLE_POS_PROFILE],
  timeoutMs: 30 * SECOND,
  skipReason: unlessRecorded('items', 'demo item'),
  async run({ engine, resources, signal }) {
    const results = await Promise.all(required(resources, 'items').map((itemCode) => engine.removeItem(itemCode, { signal })));
    return reportedEach('item', results, 'No item to delete');
  },
};
