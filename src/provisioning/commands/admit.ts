import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../../lib/validation.js';
import { executingRuns, queuedAtOrAbove, tryLockAdmission } from '../db/admission.js';
import type { ProvisioningRun } from '../entities/provisioning-run.entity.js';
import { EventType, RunStatus } from '../model.js';
import type { ProvisioningView } from '../run-view.js';
import type { RecordTransition } from '../transitions/transition-writer.js';

/** What a command needs to let a run execute at once: who would execute it, and the limits. */
export interface Admission {
  owner: string;
  leaseMs: number;
  engineMaxActiveRuns: number;
  maxActiveRunsPerProcess: number;
}

/** When and in which order an accepted run may execute (StartProvisioningInput.priority/runAt). */
export interface Schedule {
  priority?: number | null;
  runAt?: Date | null;
}

export const PRIORITY_RANGE = { min: -1000, max: 1000 };
/** How far ahead a run may be scheduled. */
const MAX_SCHEDULE_AHEAD_MS = 366 * 24 * 60 * 60 * 1000;

export function validateSchedule(schedule: Schedule): { priority: number; runAt: Date | null } {
  const priority = schedule.priority ?? 0;
  if (!Number.isInteger(priority) || priority < PRIORITY_RANGE.min || priority > PRIORITY_RANGE.max) {
    throw badInput('priority', `must be an integer from ${PRIORITY_RANGE.min} to ${PRIORITY_RANGE.max} (higher starts first; default 0).`);
  }
  const runAt = schedule.runAt ?? null;
  if (runAt && runAt.getTime() - Date.now() > MAX_SCHEDULE_AHEAD_MS) throw badInput('runAt', 'must be within a year from now.');
  return { priority, runAt: runAt && runAt.getTime() > Date.now() ? runAt : null };
}

/**
 * Where an accepted run goes, in the command's transaction: SCHEDULED until its runAt; straight
 * to execution when a slot is free (fewer than ENGINE_MAX_ACTIVE_RUNS executing everywhere and
 * MAX_ACTIVE_RUNS_PER_PROCESS here) and no queued run of the same or a higher priority goes
 * first; else QUEUED, for the admission loop. A mutation never waits for the admission lock:
 * when another decision holds it, the run queues and is admitted a moment later.
 */
export async function admitOrQueue(
  tx: EntityManager,
  record: RecordTransition,
  run: ProvisioningRun,
  input: { admission: Admission; schedule: Schedule; accepted: string },
): Promise<{ view: ProvisioningView; admitted: boolean }> {
  const { priority, runAt } = validateSchedule(input.schedule);
  Object.assign(run, { priority, runAt });
  if (runAt) {
    run.status = RunStatus.SCHEDULED;
    const { event } = await record({
      run,
      event: { type: EventType.RUN_QUEUED, message: `${input.accepted}; scheduled to start at ${runAt.toISOString()}` },
      author: { command: true },
    });
    return { view: event.provisioning!, admitted: false };
  }
  if (await slotFree(tx, input.admission, run.id, priority)) {
    run.status = RunStatus.IN_PROGRESS;
    const { event } = await record({
      run,
      event: { type: EventType.RUN_STARTED, message: input.accepted },
      author: { command: true, lease: { owner: input.admission.owner, ms: input.admission.leaseMs } },
    });
    return { view: event.provisioning!, admitted: true };
  }
  run.status = RunStatus.QUEUED;
  const { event } = await record({
    run,
    event: { type: EventType.RUN_QUEUED, message: `${input.accepted}; queued until a slot is free` },
    author: { command: true, enqueue: true },
  });
  return { view: event.provisioning!, admitted: false };
}

async function slotFree(tx: EntityManager, admission: Admission, runId: string, priority: number): Promise<boolean> {
  if (!(await tryLockAdmission(tx))) return false;
  const { everywhere, here } = await executingRuns(tx, admission.owner);
  if (everywhere >= admission.engineMaxActiveRuns || here >= admission.maxActiveRunsPerProcess) return false;
  return !(await queuedAtOrAbove(tx, priority, runId));
}
