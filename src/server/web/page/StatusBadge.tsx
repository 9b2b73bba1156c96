/**
 * A run, step or tenant status. Each status has its own class (styles.css): waiting ones are
 * hollow and grey, working ones blue with a pulsing dot, so RUNNING never looks like PENDING.
 */
export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span className={`badge status-${status}`} data-status={status} data-testid={testId}>
      {status}
    </span>
  );
}
