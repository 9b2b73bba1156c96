import { Migration } from '@mikro-orm/migrations';

/**
 * Webhook endpoints, and their deliveries: an outbox written by the transition statement in
 * the transaction of each event, sent by every replica's worker (claims with SKIP LOCKED).
 */
export class Migration0005Webhooks extends Migration {
  override name = '0005-webhooks';

  override up(): void {
    this.addSql(`
      CREATE TABLE webhook_endpoint (
        id uuid PRIMARY KEY,
        tenant_id uuid REFERENCES tenant (id) ON DELETE CASCADE,
        url text NOT NULL,
        event_types text[] NOT NULL,
        secret text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason text,
        failing_since timestamptz,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    this.addSql(`CREATE INDEX webhook_endpoint_tenant_idx ON webhook_endpoint (tenant_id)`);

    this.addSql(`
      CREATE TABLE webhook_delivery (
        id uuid PRIMARY KEY,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        seq integer NOT NULL,
        event_type text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'PENDING',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz DEFAULT now(),
        claimed_until timestamptz,
        last_attempt_at timestamptz,
        last_status_code integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        CONSTRAINT webhook_delivery_endpoint_id_tenant_id_seq_key UNIQUE (endpoint_id, tenant_id, seq)
      )`);
    // What the workers claim: only deliveries with an attempt to come are in it.
    this.addSql(`
      CREATE INDEX webhook_delivery_due_idx
        ON webhook_delivery (next_attempt_at) WHERE status IN ('PENDING', 'RETRYING')`);
    this.addSql(`CREATE INDEX webhook_delivery_endpoint_created_idx ON webhook_delivery (endpoint_id, created_at DESC, id DESC)`);
  }
}
