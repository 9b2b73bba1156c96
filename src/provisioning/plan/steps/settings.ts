import { SECOND } from '../../../lib/time.js';
import { StepCriticality, StepKey } from '../../model.js';
import type { StepDefinition } from '../step-definition.js';

/** Site-wide settings the business needs, merged: written only where they differ. */
export interface SettingsInput {
  selling: Readonly<Record<string, unknown>>;
  stock: Readonly<Record<string, unknown>>;
}

export const settings: StepDefinition<SettingsInput> = {
  key: StepKey.SETTINGS,
  title: 'Apply selling and stock settings',
  criticality: StepCriticality.NON_CRITICAL,
  dependsOn: [StepKey.ENGINE_CHECK],
  timeoutMs: 30 * SECOND,
  async run({ engine, input, signal }) {
    const selling = await engine.mergeSettings('Selling Settings', input.selling, { signal });
    const stock = await engine.mergeSettings('Stock Settings', input.stock, { signal });
    const changed = [selling.changed && 'Selling Settings', stock.changed && 'Stock Settings'].filter((name): name is string => Boolean(name));
    return {
      message: changed.length ? `Updated ${changed.join(' and ')}` : 'Settings already as the business needs them',
      resources: { settings: ['Selling Settings', 'Stock Settings'] },
      output: { changed },
    };
  },
};
