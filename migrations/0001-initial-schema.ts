import { Migration } from '@mikro-orm/migrations';

/** Tenants, users, provisioning runs with their steps, and the per-tenant event log. */
export class Migration0001InitialSchema extends Migration {
  override name = '0001-initial-schema';

  override up(): void {
    this.addSql(`
      CREATE TABLE tenant (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        slug text NOT NULL UNIQUE,
        category text,
        description text,
        country_code char(2) NOT NULL,
        engine text NOT NULL DEFAULT 'ERPNEXT',
        admin_email text NOT NULL,
        admin_name text NOT NULL,
        provisioning_status text NOT NULL DEFAULT 'NOT_PROVISIONED',
        provisioned_at timestamptz,
        provisioning_error text,
        last_event_seq integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    this.addSql(`CREATE INDEX tenant_status_created_idx ON tenant (provisioning_status, created_at, id)`);
    this.addSql(`CREATE INDEX tenant_created_idx ON tenant (created_at, id)`);

    this.addSql(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY,
        email text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL,
        tenant_id uuid REFERENCES tenant (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT app_user_tenant_admin_has_tenant CHECK (role <> 'TENANT_ADMIN' OR tenant_id IS NOT NULL)
      )`);
    this.addSql(`CREATE UNIQUE INDEX app_user_email_unique ON app_user (lower(email))`);

    this.addSql(`
      CREATE TABLE provisioning_run (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        type text NOT NULL,
        config jsonb NOT NULL,
        status text NOT NULL,
        current_step text,
        resources jsonb NOT NULL DEFAULT '{}'::jsonb,
        lease_owner text,
        lease_expires_at timestamptz,
        cancel_requested boolean NOT NULL DEFAULT false,
        started_by text,
        started_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The database, not only the code, guarantees at most one active run per tenant.
    this.addSql(`
      CREATE UNIQUE INDEX provisioning_run_one_active_per_tenant
        ON provisioning_run (tenant_id) WHERE status IN ('PENDING', 'IN_PROGRESS')`);
    this.addSql(`
      CREATE INDEX provisioning_run_active_lease_idx
        ON provisioning_run (lease_expires_at) WHERE status IN ('PENDING', 'IN_PROGRESS')`);
    this.addSql(`CREATE INDEX provisioning_run_tenant_started_idx ON provisioning_run (tenant_id, started_at DESC)`);

    this.addSql(`
      CREATE TABLE provisioning_step (
        id uuid PRIMARY KEY,
        run_id uuid NOT NULL REFERENCES provisioning_run (id) ON DELETE CASCADE,
        key text NOT NULL,
        index smallint NOT NULL,
        status text NOT NULL DEFAULT 'PENDING',
        attempts integer NOT NULL DEFAULT 0,
        started_at timestamptz,
        completed_at timestamptz,
        duration_ms integer,
        message text,
        error text,
        error_code text,
        skipped_by text,
        skip_reason text,
        output jsonb,
        UNIQUE (run_id, key),
        UNIQUE (run_id, index)
      )`);

    this.addSql(`
      CREATE TABLE provisioning_event (
        tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        seq integer NOT NULL,
        run_id uuid REFERENCES provisioning_run (id) ON DELETE CASCADE,
        type text NOT NULL,
        step text,
        message text NOT NULL,
        payload jsonb NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, seq)
      )`);
  }
}
