import { SECOND } from '../../../../lib/time.js';
import { StepCriticality, StepKey } from '../../../model.js';
import { required, type StepDefinition } from '../../step-definition.js';
import { reported, unlessRecorded } from './outcomes.js';

/** The engine user, once disabled and no POS profile or entry names it; one something else still names stays disabled. */
export const removeEngineUser: StepDefinition = {
  key: StepKey.REMOVE_ENGINE_USER,
  title: 'Delete the engine user',
  criticality: StepCriticality.CRITICAL,
  dependsOn: [StepKey.DISABLE_ENGINE_USER, StepKey.REMOVE_POS_PROFILE],
  timeoutMs: 30 * SECOND,
  skipReason: unlessRecorded('engineUser', 'engine user'),
  async run({ engine, resources, signal }) {
    return reported('engine user', await engine.removeUser(required(resources, 'engineUser'), { signal }));
  },
};
