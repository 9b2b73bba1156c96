import type { ProvisioningFieldsFragment } from '../../../../client/src/index.js';
import { StatusBadge } from './StatusBadge.js';

type Step = ProvisioningFieldsFragment['steps'][number];

export function StepRow({ step, onSkip, busy }: { step: Step; onSkip: (() => void) | undefined; busy: boolean }) {
  return (
    <tr data-testid={`step-${step.key}`} data-status={step.status} className={`step status-${step.status}`}>
      <td className="index">{step.index + 1}</td>
      <td className="title">
        {step.title}
        <span className="criticality">{step.criticality.replace('_', ' ').toLowerCase()}</span>
      </td>
      <td className="state">
        <StatusBadge status={step.status} />
      </td>
      <td className="duration" data-label="Duration">
        {step.durationMs === null ? '' : formatDuration(step.durationMs)}
      </td>
      <td className="attempts" data-label="Attempts">
        {step.attempts}
      </td>
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
      <td className="skip">
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
