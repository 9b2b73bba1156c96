import { SECOND } from '../../../../lib/time.js';
import { StepCriticality, StepKey } from '../../../model.js';
import { required, type StepDefinition } from '../../step-definition.js';
import { reported, unlessRecorded } from './outcomes.js';

/**
 * The tenant's engine user signs in no more (its API key included). After the sessions close, so
 * that no session is left open in the name of a cashier who can no longer close it.
 */
export const disableEngineUser: StepDefinition = {
  key: StepKey.DISABLE_ENGINE_USER,
  title: 'Disable the engine user',
  criticality: StepCriticality.CRITICAL,
  dependsOn: [StepKey.CLOSE_POS_SESSIONS],
  timeoutMs: 30 * SECOND,
  skipReason: unlessRecorded('engineUser', 'engine user'),
  async run({ engine, resources, signal }) {
    const result = await engine.disableUser(required(resources, 'engineUser'), { signal });
    return reported('engine user', result);
  },
};
