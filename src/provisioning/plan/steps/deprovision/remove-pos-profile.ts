import { SECOND } from '../../../../lib/time.js';
import { StepCriticality, StepKey } from '../../../model.js';
import { required, type StepDefinition } from '../../step-definition.js';
import { reported, unlessRecorded } from './outcomes.js';

export const removePosProfile: StepDefinition = {
  key: StepKey.REMOVE_POS_PROFILE,
  title: 'Delete the POS profile',
  criticality: StepCriticality.CRITICAL,
  dependsOn: [StepKey.REMOVE_POS_SESSIONS],
  timeoutMs: 30 * SECOND,
  skipReason: unlessRecorded('posProfile', 'POS profile'),
  async run({ engine, resources, signal }) {
    return reported('POS profile', await engine.removePosProfile(required(resources, 'posProfile'), { signal }));
  },
};
