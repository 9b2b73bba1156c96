import { SECOND } from '../../../../lib/time.js';
import { StepCriticality, StepKey } from '../../../model.js';
import { required, type StepDefinition } from '../../step-definition.js';
import { reportedEach, unlessRecorded } from './outcomes.js';

/**
 * Every open session of the tenant's POS profile ends (its opening entry is cancelled): first,
 * because ERPNext keeps a profile with an open session enabled.
 */
export const closePosSessions: StepDefinition = {
  key: StepKey.CLOSE_POS_SESSIONS,
  title: 'Close the open POS sessions',
  criticality: StepCriticality.CRITICAL,
  dependsOn: [StepKey.ENGINE_CHECK],
  timeoutMs: 30 * SECOND,
  skipReason: unlessRecorded('posProfile', 'POS profile'),
  async run({ engine, resources, signal }) {
    const results = await engine.closePosSessions({ posProfile: required(resources, 'posProfile') }, { signal });
    return reportedEach('POS session', results, 'No POS session was open');
  },
};
