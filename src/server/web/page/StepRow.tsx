import type { ProvisioningFieldsFragment } from '../../../../client/src/index.js';

type Step = ProvisioningFieldsFragment['steps'][number];

export function StepRow({ step, onSkip, busy }: { step: Step; onSkip?: () => void; busy: boolean }) {
  return (
    <tr data-testid={`step-${step.key}`} data-status={step.status} className={step.status}>
      <td>{step.index + 1}</td>
      <td>
        {step.title}
        <span className="criticality">{step.criticality.replace('_', ' ').toLowerCase()}</span>
      </td>
      <td>
        <span className={`badge ${step.status}`}>{step.status}</span>
      </td>
      <td>{step.durationMs === null ? '' : formatDuration(step.durationMs)}</td>
      <td>{step.attempts}</td>
      <td className="details">
        {step.error ? (
          <span className="error" data-testid={`step-error-${step.key}`}>
            {step.errorCode ? `${step.errorCode}: ` : ''}
            {step.error}
          </span>
        ) : (
          (step.skipReason ?? step.message ?? '')
        )}
      </td>
      <td>
        {onSkip && (
          <button className="small" disabled={busy} onClick={onSkip} aria-label={`Skip ${step.title}`}>
            Skip
          </button>
        )}
      </td>
    </tr>
  );
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
