import { SECOND } from '../../../lib/time.js';
import { StepCriticality, StepKey } from '../../model.js';
import type { StepDefinition } from '../step-definition.js';

/** Roles a cashier-manager needs for POS, settings and stock. */
export const POS_ROLES = ['Accounts User', 'Accounts Manager', 'Sales User', 'Sales Manager', 'Stock User', 'Stock Manager', 'Item Manager'];

export const engineUser: StepDefinition = {
  key: StepKey.ENGINE_USER,
  title: 'Create the engine user',
  criticality: StepCriticality.CRITICAL,
  dependsOn: [StepKey.ENGINE_CHECK],
  timeoutMs: 30 * SECOND,
  async run({ engine, tenant, signal }) {
    const [firstName, ...rest] = tenant.adminName.split(/\s+/);
    const user = await engine.ensureUser(
      { email: tenant.adminEmail, firstName: firstName || tenant.adminName, lastName: rest.join(' ') || undefined, roles: POS_ROLES },
      { signal },
    );
    return {
      message: user.created ? `Created engine user ${user.name}` : `Engine user ${user.name} already exists`,
      resources: { engineUser: user.name },
    };
  },
};
