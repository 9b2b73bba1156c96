import { SECOND } from '../../../lib/time.js';
import { StepCriticality, StepKey } from '../../model.js';
import { required, type StepDefinition } from '../step-definition.js';

export const posSession: StepDefinition = {
  key: StepKey.POS_SESSION,
  title: 'Open the POS session',
  criticality: StepCriticality.NON_CRITICAL,
  dependsOn: [StepKey.POS_PROFILE],
  // Non-critical, and a cashier can open a session by hand: not worth holding the run for half
  // an hour. Twenty attempts (about eight minutes of backoff) ride out a flaky engine (five did
  // not: with a quarter of requests failing, one run in about fifteen ended PARTIAL); after that
  // the run ends PARTIAL, ready to retry.
  retry: { maxAttempts: 20 },
  timeoutMs: 30 * SECOND,
  async run({ engine, resources, signal }) {
    const entry = await engine.ensureOpenPosOpeningEntry(
      {
        company: required(resources, 'company'),
        posProfile: required(resources, 'posProfile'),
        user: required(resources, 'engineUser'),
        balances: [{ modeOfPayment: 'Cash', openingAmount: 0 }],
      },
      { signal },
    );
    return {
      message: entry.created ? `Opened POS session ${entry.name}` : `POS session ${entry.name} is already open`,
      resources: { posOpeningEntry: entry.name },
    };
  },
};
