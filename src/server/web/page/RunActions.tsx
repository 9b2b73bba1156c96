import { allowedActions } from './run-actions.js';
import { api } from './session.js';
import { useAction } from './use-action.js';
import type { Run } from './use-run.js';

/**
 * What the two resume mutations do (resume-run.ts): both put failed steps back to pending, so the
 * way to leave a failed non-critical step as it is, is to skip it.
 */
const RESUME_HELP =
  'Retry runs the failed steps again. Continue resumes at the first step that is neither completed nor skipped, a failed one included. To leave a failed non-critical step as it is, skip it.';

/** The buttons the service would accept now; a refused action shows the service's reason. */
export function RunActions({ tenantId, run }: { tenantId: string; run: Run | null }) {
  const { busy, error, act } = useAction();
  const allowed = allowedActions(run);
  const resumable = allowed.retry || allowed.continue;
  return (
    <>
      <div className="actions">
        {allowed.start && <button disabled={busy} onClick={() => act(() => api.startProvisioning(tenantId))}>Start</button>}
        {allowed.retry && <button disabled={busy} aria-describedby="resume-help" onClick={() => act(() => api.retryProvisioning(tenantId))}>Retry</button>}
        {allowed.continue && <button disabled={busy} aria-describedby="resume-help" onClick={() => act(() => api.continueProvisioning(tenantId))}>Continue</button>}
        {allowed.cancel && <button className="danger" disabled={busy} onClick={() => act(() => api.cancelProvisioning(tenantId))}>Cancel</button>}
      </div>
      {resumable && (
        <p className="hint" id="resume-help" data-testid="resume-help">
          {RESUME_HELP}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
