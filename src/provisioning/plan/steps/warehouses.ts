import { SECOND } from '../../../lib/time.js';
import { StepCriticality, StepKey } from '../../model.js';
import { mainWarehouseName, posWarehouseName } from '../naming.js';
import { required, type StepDefinition } from '../step-definition.js';

export const warehouses: StepDefinition = {
  key: StepKey.WAREHOUSES,
  title: 'Create the warehouses',
  criticality: StepCriticality.CRITICAL,
  timeoutMs: 30 * SECOND,
  async run({ engine, config, resources, signal }) {
    const company = required(resources, 'company');
    const abbr = required(resources, 'abbr');
    const main = await engine.ensureWarehouse({ warehouseName: mainWarehouseName, company, abbr }, { signal });
    const pos = config.posStoreEnabled
      ? await engine.ensureWarehouse({ warehouseName: posWarehouseName, company, abbr }, { signal })
      : undefined;
    const names = [main.name, pos?.name].filter(Boolean).join(' and ');
    return { message: `Warehouses ready: ${names}`, resources: { warehouses: { main: main.name, pos: pos?.name } } };
  },
};
