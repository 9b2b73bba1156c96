import { SECOND } from '../../../lib/time.js';
import { StepCriticality, StepKey } from '../../model.js';
import type { StepDefinition } from '../step-definition.js';

/** The engine answers, and our credentials are valid (ping alone does not check them). */
export const engineCheck: StepDefinition = {
  key: StepKey.ENGINE_CHECK,
  title: 'Check the ERP engine',
  criticality: StepCriticality.CRITICAL,
  timeoutMs: 10 * SECOND,
  // Its purpose is to find an unreachable or misconfigured engine before anything is written:
  // a few quick retries (about 7 s at the default base) ride out a blip, then the run fails.
  retry: { maxAttempts: 4 },
  async run({ engine, signal }) {
    await engine.ping({ signal });
    const user = await engine.loggedUser({ signal });
    return { message: `Engine online; signed in as ${user}`, output: { engineUser: user } };
  },
};
