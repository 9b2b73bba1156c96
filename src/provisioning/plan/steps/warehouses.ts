import { SECOND } from '../../../lib/time.js';
import { StepCriticality, StepKey } from '../../model.js';
import { posWarehouseName } from '../naming.js';
import { required, type StepDefinition } from '../step-definition.js';

export interface WarehousesInput {
  /** The warehouse stock is kept in by default, e.g. "Main Store". */
  main: string;
  /** More warehouses the business keeps, e.g. "Back Store". */
  more: readonly string[];
  /** Whether the template sells at a point of sale; the run's posStoreEnabled decides too. */
  posStore: boolean;
}

/** The company's warehouses, named "{name} - {abbr}" by the engine. */
export const warehouses: StepDefinition<WarehousesInput> = {
  key: StepKey.WAREHOUSES,
  title: 'Create the warehouses',
  criticality: StepCriticality.CRITICAL,
  dependsOn: [StepKey.COMPANY],
  timeoutMs: 30 * SECOND,
  async run({ engine, config, input, resources, signal }) {
    const company = required(resources, 'company');
    const abbr = required(resources, 'abbr');
    const ensure = (warehouseName: string) => engine.ensureWarehouse({ warehouseName, company, abbr }, { signal });
    // Siblings under the company's root warehouse: made side by side, as the steps are.
    const wanted = [input.main, ...input.more, ...(input.posStore && config.posStoreEnabled ? [posWarehouseName] : [])];
    const [main, ...rest] = (await Promise.all(wanted.map(ensure))).map((warehouse) => warehouse.name);
    const more = rest.slice(0, input.more.length);
    const pos = rest[input.more.length];
    const names = [main, ...rest].join(', ');
    return { message: `Warehouses ready: ${names}`, resources: { warehouses: { main: main!, pos, ...(more.length && { more }) } } };
  },
};
