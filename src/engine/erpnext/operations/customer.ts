import type { CustomerInput, DeprovisionResult, Ensured } from '../../port.js';
import { removeDoc } from '../deprovision.js';
import { ensureDoc } from '../ensure.js';
import type { Doc, FrappeResources } from '../resources.js';

/**
 * Found by `customer_name`, never by name: ERPNext answers a second insert of the same name by
 * creating "Walk-In Customer - 1" instead of refusing (`customer.py` autoname), so a 409 cannot protect us. If
 * duplicates already exist, the oldest one is the customer.
 */
export function ensureCustomer(
  resources: FrappeResources,
  input: CustomerInput,
  signal?: AbortSignal,
): Promise<Ensured> {
  return ensureDoc({
    find: () => findCustomer(resources, input.customerName, signal),
    create: () =>
      resources.insert(
        'Customer',
        {
          customer_name: input.customerName,
          customer_type: input.customerType,
          customer_group: input.customerGroup,
          territory: input.territory,
        },
        signal,
      ),
  });
}

/** The customer `ensureCustomer` would find; another of the same `customer_name` is for the next call. */
export async function removeCustomer(resources: FrappeResources, customerName: string, signal?: AbortSignal): Promise<DeprovisionResult> {
  const name = await resources.firstName('Customer', [['customer_name', '=', customerName]], signal);
  if (name === null) return { name: customerName, outcome: 'already-gone' };
  return removeDoc(resources, 'Customer', name, signal);
}

function findCustomer(resources: FrappeResources, customerName: string, signal?: AbortSignal): Promise<Doc | null> {
  return resources.first('Customer', [['customer_name', '=', customerName]], signal);
}
