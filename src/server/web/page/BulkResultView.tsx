import type { BulkResultFieldsFragment } from '../../../../client/src/index.js';
import type { FleetSnapshot } from './fleet.js';

/** Refusals listed one by one; a bulk action over a whole platform can be refused thousands of times. */
const LISTED = 10;

/** What a bulk mutation did: how many it matched, accepted and refused, and why each refusal. */
export function BulkResultView({ result, tenants }: { result: BulkResultFieldsFragment; tenants: FleetSnapshot }) {
  return (
    <div className="bulk-result" role="status" data-testid="bulk-result">
      <p>
        Matched <strong>{result.matched}</strong>, accepted <strong>{result.accepted}</strong>, refused <strong>{result.refused}</strong>.
      </p>
      {result.refusals.length > 0 && (
        <ul className="refusals">
          {result.refusals.slice(0, LISTED).map((refusal) => (
            <li key={refusal.tenantId}>
              {tenants.get(refusal.tenantId)?.name ?? refusal.tenantId}: <code>{refusal.code}</code> {refusal.message}
            </li>
          ))}
          {result.refusals.length > LISTED && <li className="muted">and {result.refusals.length - LISTED} more</li>}
        </ul>
      )}
    </div>
  );
}
