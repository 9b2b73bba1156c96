import { MINUTE } from '../../../../lib/time.js';
import { StepCriticality, StepKey } from '../../../model.js';
import { required, type StepDefinition } from '../../step-definition.js';
import { reported, unlessRecorded } from './outcomes.js';

/**
 * The company with its accounts, cost centers, default warehouses and departments, once nothing
 * else of the tenant names it. A company with transactions is kept, its books with it: ERPNext
 * erases ledgers only through a Transaction Deletion Record, which is for a person to start.
 */
export const removeCompany: StepDefinition = {
  key: StepKey.REMOVE_COMPANY,
  title: 'Delete the company',
  criticality: StepCriticality.CRITICAL,
  dependsOn: [StepKey.REMOVE_POS_PROFILE, StepKey.REMOVE_CUSTOMER, StepKey.REMOVE_ITEMS, StepKey.REMOVE_WAREHOUSES],
  // As heavy for ERPNext as creating it (every account and cost center goes in the one request):
  // the same generous timeout, and backing off as far (60 x RETRY_BASE_MS) when the site struggles.
  timeoutMs: 2 * MINUTE,
  retry: { capMultiple: 60 },
  skipReason: unlessRecorded('company', 'company'),
  async run({ engine, resources, signal }) {
    return reported('company', await engine.removeCompany(required(resources, 'company'), { signal }));
  },
};
