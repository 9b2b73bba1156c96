import { MINUTE } from '../../../../lib/time.js';
import { StepCriticality, StepKey } from '../../../model.js';
import { required, type StepDefinition } from '../../step-definition.js';
import { reportedEach, unlessRecorded } from './outcomes.js';

/**
 * Every POS opening and closing entry of the profile, cancelled first where submitted: even a
 * cancelled entry keeps the profile (and its cashier) from being deleted.
 */
export const removePosSessions: StepDefinition = {
  key: StepKey.REMOVE_POS_SESSIONS,
  title: 'Delete the POS sessions',
  criticality: StepCriticality.CRITICAL,
  dependsOn: [StepKey.DISABLE_POS_PROFILE],
  // One cancel and one delete per entry: a profile used for months has many.
  timeoutMs: 2 * MINUTE,
  skipReason: unlessRecorded('posProfile', 'POS profile'),
  async run({ engine, resources, signal }) {
    const results = await engine.removePosSessions(required(resources, 'posProfile'), { signal });
    return reportedEach('POS entry', results, 'No POS session to delete');
  },
};
