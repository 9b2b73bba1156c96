import type { DeprovisionResult, Ensured, ItemInput } from '../../port.js';
import { removeDoc } from '../deprovision.js';
import { ensureDoc } from '../ensure.js';
import type { FrappeResources } from '../resources.js';

/** Items are named by item_code while Stock Settings name items "By Item Code". */
export function ensureItem(resources: FrappeResources, input: ItemInput, signal?: AbortSignal): Promise<Ensured> {
  return ensureDoc({
    find: () => resources.get('Item', input.itemCode, signal),
    create: () =>
      resources.insert(
        'Item',
        {
          item_code: input.itemCode,
          item_name: input.itemName,
          item_group: input.itemGroup,
          stock_uom: input.stockUom,
          is_stock_item: input.stockItem === false ? 0 : 1,
          // after_insert turns standard_rate into an Item Price on the selling price list.
          ...(input.standardRate === undefined ? {} : { standard_rate: input.standardRate }),
        },
        signal,
      ),
  });
}

/** Kept (ERPNext says why) while a ledger entry or a transaction names it. */
export function removeItem(resources: FrappeResources, itemCode: string, signal?: AbortSignal): Promise<DeprovisionResult> {
  return removeDoc(resources, 'Item', itemCode, signal);
}
