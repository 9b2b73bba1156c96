import type { DeprovisionResult, Ensured, WarehouseInput } from '../../port.js';
import { removeDoc } from '../deprovision.js';
import { ensureDoc } from '../ensure.js';
import type { FrappeResources } from '../resources.js';

/**
 * Warehouses are named `"{warehouse_name} - {abbr}"` (`warehouse.py` autoname) and hang under the
 * company's root group `All Warehouses - {abbr}`, which the Company insert creates.
 */
export function ensureWarehouse(
  resources: FrappeResources,
  input: WarehouseInput,
  signal?: AbortSignal,
): Promise<Ensured> {
  const name = `${input.warehouseName} - ${input.abbr}`;
  return ensureDoc({
    find: () => resources.get('Warehouse', name, signal),
    create: () =>
      resources.insert(
        'Warehouse',
        {
          warehouse_name: input.warehouseName,
          company: input.company,
          parent_warehouse: input.parentWarehouse ?? `All Warehouses - ${input.abbr}`,
          is_group: input.isGroup ? 1 : 0,
        },
        signal,
      ),
  });
}

/**
 * ERPNext keeps a warehouse with stock ledger entries or child warehouses (`warehouse.py`
 * on_trash) and one a profile or transaction still names; each is `kept` with ERPNext's reason.
 */
export function removeWarehouse(resources: FrappeResources, name: string, signal?: AbortSignal): Promise<DeprovisionResult> {
  return removeDoc(resources, 'Warehouse', name, signal);
}
