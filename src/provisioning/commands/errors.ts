import { AppError } from '../../lib/errors.js';
import { badInput } from '../../lib/validation.js';
import type { RunStatus } from '../model.js';

export const tenantNotFound = (tenantId: string) =>
  new AppError('NOT_FOUND', `Tenant ${tenantId} does not exist. Check the id, or create the tenant first.`, { tenantId });

export const noRunYet = (tenantId: string) =>
  new AppError('INVALID_STATE', `Tenant ${tenantId} has never been provisioned: call startProvisioning first.`, { tenantId });

export const runInProgress = (runId: string) =>
  new AppError('CONFLICT', `A run (${runId}) is already in progress for this tenant: follow it with the provisioningEvents subscription, or cancel it first.`, { runId });

export const notResumable = (status: RunStatus, action: string) =>
  new AppError('INVALID_STATE', `Cannot ${action} a run that is ${status}: only FAILED, PARTIAL or CANCELLED runs can be resumed.`, { status });

export const notInRun = (step: string, template: string) =>
  badInput('step', `${step} is not a step of this run (template ${template}): name one of the steps its provisioning shows.`);
