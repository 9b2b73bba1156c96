import type { StepKey } from '../../../../client/src/index.js';
import { canSkip } from './run-actions.js';
import { api } from './session.js';
import { StepRow } from './StepRow.js';
import { useAction } from './use-action.js';
import type { Run } from './use-run.js';

/** The run's steps; a narrow card shows each as a small block instead of a table row (styles.css). */
export function StepTable({ tenantId, run }: { tenantId: string; run: Run }) {
  const { busy, error, act } = useAction();
  const skip = (step: StepKey) => act(() => api.skipStep(tenantId, step, 'skipped from the provisioning page'));
  return (
    <>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <table className="steps">
        <thead>
          <tr>
            <th>#</th>
            <th>Step</th>
            <th>State</th>
            <th>Duration</th>
            <th>Attempts</th>
            <th>Details</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {run.steps.map((step) => (
            <StepRow key={step.key} step={step} onSkip={canSkip(run, step) ? () => skip(step.key) : undefined} busy={busy} />
          ))}
        </tbody>
      </table>
    </>
  );
}
