import { SECOND } from '../../../../lib/time.js';
import { StepCriticality, StepKey } from '../../../model.js';
import { required, type StepDefinition } from '../../step-definition.js';
import { reported, unlessRecorded } from './outcomes.js';

/** The POS profile opens no more sessions; kept enabled (and said so) while ERPNext still sees one open. */
export const disablePosProfile: StepDefinition = {
  key: StepKey.DISABLE_POS_PROFILE,
  title: 'Disable the POS profile',
  criticality: StepCriticality.CRITICAL,
  dependsOn: [StepKey.CLOSE_POS_SESSIONS],
  timeoutMs: 30 * SECOND,
  skipReason: unlessRecorded('posProfile', 'POS profile'),
  async run({ engine, resources, signal }) {
    const result = await engine.disablePosProfile(required(resources, 'posProfile'), { signal });
    return reported('POS profile', result);
  },
};
