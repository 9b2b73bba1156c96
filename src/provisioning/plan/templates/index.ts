import type { DeprovisionMode, ProvisioningTemplate } from '../../model.js';
import type { DeprovisionTemplate, Template } from '../template.js';
import { basic } from './basic.js';
import { disable } from './disable.js';
import { fullPos } from './full-pos.js';
import { remove } from './remove.js';
import { retail } from './retail.js';
import { services } from './services.js';

/** Every template a run may start from, in the order they are listed. */
export const TEMPLATES: readonly Template[] = [fullPos, basic, retail, services];

/** How deprovisionTenant takes a tenant down, one per mode: never offered to startProvisioning. */
export const DEPROVISION_TEMPLATES: readonly DeprovisionTemplate[] = [disable, remove];

const BY_KEY = new Map(TEMPLATES.map((template) => [template.key, template]));
const BY_MODE = new Map(DEPROVISION_TEMPLATES.map((template) => [template.key, template]));

export function templateOf(key: ProvisioningTemplate): Template {
  return BY_KEY.get(key)!;
}

export function deprovisionTemplateOf(mode: DeprovisionMode): DeprovisionTemplate {
  return BY_MODE.get(mode)!;
}
