import { SECOND } from '../../../lib/time.js';
import { StepCriticality, StepKey } from '../../model.js';
import { demoItemCode } from '../naming.js';
import { required, type StepDefinition } from '../step-definition.js';

export const DEMO_ITEMS = [
  { itemName: 'Bottled Water 500ml', standardRate: 50 },
  { itemName: 'Bread Loaf 400g', standardRate: 65 },
  { itemName: 'Sugar 1kg', standardRate: 180 },
];

export const NOT_REQUESTED = 'not requested';

export const demoItems: StepDefinition = {
  key: StepKey.DEMO_ITEMS,
  title: 'Add demo items',
  criticality: StepCriticality.OPTIONAL,
  timeoutMs: 30 * SECOND,
  skipReason: (config) => (config.includeDemoData ? undefined : NOT_REQUESTED),
  async run({ engine, resources, signal }) {
    const abbr = required(resources, 'abbr');
    const codes: string[] = [];
    for (const [i, item] of DEMO_ITEMS.entries()) {
      const ensured = await engine.ensureItem(
        { itemCode: demoItemCode(abbr, i + 1), itemName: item.itemName, itemGroup: 'Products', stockUom: 'Nos', standardRate: item.standardRate },
        { signal },
      );
      codes.push(ensured.name);
    }
    return { message: `Demo items ready: ${codes.join(', ')}`, resources: { items: codes } };
  },
};
