import { useState } from 'react';
import type { BulkResultFieldsFragment, TenantFilter } from '../../../../client/src/index.js';
import { BulkResultView } from './BulkResultView.js';
import type { FleetSnapshot, FleetTenant } from './fleet.js';
import { allowedActions } from './run-actions.js';
import { api } from './session.js';
import { useAction } from './use-action.js';

/**
 * "Retry all shown": retryProvisioningMany with the filter whose matches are on screen, after a
 * confirmation that says how many tenants the service will try. The service acts on whatever
 * matches when it receives the request, so the answer (with each refusal's code) is shown too.
 */
export function RetryAllShown({ filter, rows, total, tenants }: { filter: TenantFilter; rows: FleetTenant[]; total: number; tenants: FleetSnapshot }) {
  const { busy, error, act } = useAction();
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<BulkResultFieldsFragment>();
  // The same rule as the run view's Retry button: only a stopped run can be retried.
  const retryable = rows.filter((tenant) => allowedActions(tenant.run).retry).length;

  function retry() {
    setConfirming(false);
    void act(async () => setResult(await api.retryProvisioningMany(filter)));
  }

  return (
    <div className="bulk">
      {confirming ? (
        <div className="confirm" role="group" aria-label="Confirm retry">
          <p>
            Retry the {total} {total === 1 ? 'tenant' : 'tenants'} matching this filter? {retryable} can be retried now; the service refuses the others and says why.
          </p>
          <div className="actions">
            <button onClick={retry}>Retry {total}</button>
            <button className="secondary" onClick={() => setConfirming(false)}>
              Keep as they are
            </button>
          </div>
        </div>
      ) : (
        <button disabled={busy || retryable === 0} onClick={() => setConfirming(true)}>
          Retry all shown
        </button>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {result && <BulkResultView result={result} tenants={tenants} />}
    </div>
  );
}
