import { ProvisioningTemplate } from '../../model.js';
import type { Template } from '../template.js';
import { basic } from './basic.js';
import { fullPos } from './full-pos.js';
import { retail } from './retail.js';
import { services } from './services.js';

/** Every template a run may start from, in the order they are listed. */
export const TEMPLATES: readonly Template[] = [fullPos, basic, retail, services];

const BY_KEY = new Map(TEMPLATES.map((template) => [template.key, template]));

export function templateOf(key: ProvisioningTemplate): Template {
  return BY_KEY.get(key)!;
}
