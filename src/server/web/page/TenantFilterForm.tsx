import { useEffect, useState, type FormEvent } from 'react';
import type { ProvisioningPlanQuery, StepKey, TenantFilter, TenantProvisioningStatus } from '../../../../client/src/index.js';
import { api } from './session.js';

/** The tenant's own status, which the service filters on: each stands for one or more run states. */
const STATUSES: ReadonlyArray<[TenantProvisioningStatus, string]> = [
  ['FAILED', 'Failed'],
  ['PARTIAL', 'Partial'],
  ['PROVISIONING', 'Provisioning (scheduled, queued or running)'],
  ['PROVISIONED', 'Provisioned'],
  ['NOT_PROVISIONED', 'Not provisioned (never started, or cancelled)'],
  ['DEPROVISIONING', 'Deprovisioning (scheduled, queued or running)'],
  ['DEPROVISIONED', 'Deprovisioned'],
];

/**
 * The service's tenant filter. It applies on submit, not on every keystroke, so the filter that
 * "Retry all shown" acts on is always the one whose matches are on screen.
 */
export function TenantFilterForm({ onApply }: { onApply: (filter: TenantFilter) => void }) {
  const [plan, setPlan] = useState<ProvisioningPlanQuery['provisioningPlan']>([]);
  // Without the plan the step list is empty and every other field still works: no error to show.
  useEffect(() => void api.provisioningPlan().then(setPlan, () => undefined), []);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const field = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    onApply({
      status: field('status') as TenantProvisioningStatus | undefined,
      failedStep: field('failedStep') as StepKey | undefined,
      errorCode: field('errorCode'),
      search: field('search'),
    });
  }

  return (
    <form className="filter" onSubmit={submit} aria-label="Filter tenants">
      <label>
        Status
        <select name="status" defaultValue="">
          <option value="">Any</option>
          {STATUSES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Failed step
        <select name="failedStep" defaultValue="">
          <option value="">Any</option>
          {plan.map((step) => (
            <option key={step.key} value={step.key}>
              {step.title}
            </option>
          ))}
        </select>
      </label>
      <label>
        Error code
        <input name="errorCode" placeholder="e.g. ENGINE_NETWORK" maxLength={64} />
      </label>
      <label>
        Name contains
        <input name="search" type="search" maxLength={140} />
      </label>
      <button type="submit">Apply</button>
    </form>
  );
}
