import { SECOND } from '../../../lib/time.js';
import { StepCriticality, StepKey } from '../../model.js';
import { DEFAULT_RETRY, type StepDefinition } from '../step-definition.js';

/** The engine answers, and our credentials are valid (ping alone does not check them). */
export const engineCheck: StepDefinition = {
  key: StepKey.ENGINE_CHECK,
  title: 'Check the ERP engine',
  criticality: StepCriticality.CRITICAL,
  timeoutMs: 10 * SECOND,
  retry: DEFAULT_RETRY,
  async run({ engine, signal }) {
    await engine.ping({ signal });
    const user = await engine.loggedUser({ signal });
    return { message: `Engine online; signed in as ${user}`, output: { engineUser: user } };
  },
};
