import { SECOND } from '../../../lib/time.js';
import { StepCriticality, StepKey } from '../../model.js';
import { demoItemCode } from '../naming.js';
import { required, type StepDefinition } from '../step-definition.js';

export interface DemoItem {
  itemName: string;
  standardRate: number;
  itemGroup: string;
  /** False for a service (it holds no stock). */
  stockItem: boolean;
}

export interface DemoItemsInput {
  items: readonly DemoItem[];
}

export const NOT_REQUESTED = 'not requested';

/** A few items to sell on day one, when the run asked for demo data. */
export const demoItems: StepDefinition<DemoItemsInput> = {
  key: StepKey.DEMO_ITEMS,
  title: 'Add demo items',
  criticality: StepCriticality.OPTIONAL,
  dependsOn: [StepKey.COMPANY],
  timeoutMs: 30 * SECOND,
  skipReason: (config) => (config.includeDemoData ? undefined : NOT_REQUESTED),
  async run({ engine, input, resources, signal }) {
    const abbr = required(resources, 'abbr');
    const codes: string[] = [];
    for (const [i, item] of input.items.entries()) {
      const ensured = await engine.ensureItem(
        { itemCode: demoItemCode(abbr, i + 1), itemName: item.itemName, itemGroup: item.itemGroup, stockUom: 'Nos', standardRate: item.standardRate, stockItem: item.stockItem },
        { signal },
      );
      codes.push(ensured.name);
    }
    return { message: `Demo items ready: ${codes.join(', ')}`, resources: { items: codes } };
  },
};
