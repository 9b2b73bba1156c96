import { SECOND } from '../../../lib/time.js';
import { StepCriticality, StepKey } from '../../model.js';
import type { StepDefinition } from '../step-definition.js';

/** The engine answers, and our credentials are valid (ping alone does not check them). */
export const engineCheck: StepDefinition = {
  key: StepKey.ENGINE_CHECK,
  title: 'Check the ERP engine',
  criticality: StepCriticality.CRITICAL,
  dependsOn: [],
  timeoutMs: 10 * SECOND,
  // Its purpose is to find an unreachable engine before anything is written: a connection that
  // is refused or dropped gets a few quick retries (about 7 s at the default base) for a blip,
  // then the run fails. Other transient failures (5xx, 429, timeouts) retry like any step's.
  retry: { maxAttemptsOn: { ENGINE_NETWORK: 4 } },
  async run({ engine, signal }) {
    await engine.ping({ signal });
    const user = await engine.loggedUser({ signal });
    return { message: `Engine online; signed in as ${user}`, output: { engineUser: user } };
  },
};
