import { SECOND } from '../../../lib/time.js';
import { StepCriticality, StepKey } from '../../model.js';
import type { StepDefinition } from '../step-definition.js';

/**
 * Site-wide defaults POS needs. Only values that are the same for every tenant: Selling and
 * Stock Settings are singles shared by all companies of the site.
 */
export const SELLING_SETTINGS = {
  cust_master_name: 'Customer Name',
  selling_price_list: 'Standard Selling',
  customer_group: 'Individual',
  territory: 'All Territories',
};
export const STOCK_SETTINGS = { item_naming_by: 'Item Code', valuation_method: 'FIFO', stock_uom: 'Nos' };

export const settings: StepDefinition = {
  key: StepKey.SETTINGS,
  title: 'Apply selling and stock settings',
  criticality: StepCriticality.NON_CRITICAL,
  timeoutMs: 30 * SECOND,
  async run({ engine, signal }) {
    const selling = await engine.mergeSettings('Selling Settings', SELLING_SETTINGS, { signal });
    const stock = await engine.mergeSettings('Stock Settings', STOCK_SETTINGS, { signal });
    const changed = [selling.changed && 'Selling Settings', stock.changed && 'Stock Settings'].filter((name): name is string => Boolean(name));
    return {
      message: changed.length ? `Updated ${changed.join(' and ')}` : 'Settings already as POS needs them',
      resources: { settings: ['Selling Settings', 'Stock Settings'] },
      output: { changed },
    };
  },
};
