import { DeprovisionMode } from '../../model.js';
import { closePosSessions } from '../steps/deprovision/close-pos-sessions.js';
import { disableEngineUser } from '../steps/deprovision/disable-engine-user.js';
import { disablePosProfile } from '../steps/deprovision/disable-pos-profile.js';
import { engineCheck } from '../steps/engine-check.js';
import type { DeprovisionTemplate } from '../template.js';

/** The till closes and nobody signs in any more; the company, its books and its masters stay, ready to be enabled again. */
export const disable: DeprovisionTemplate = {
  key: DeprovisionMode.DISABLE,
  title: 'Disable',
  description: 'Closes the open POS sessions, disables the POS profile and the engine user; keeps the company and its books.',
  steps: [{ step: engineCheck }, { step: closePosSessions }, { step: disablePosProfile }, { step: disableEngineUser }],
};
