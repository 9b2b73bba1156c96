/** The vocabulary of tenants and users, shared by the entities, the orchestrator and GraphQL. */

export enum TenantProvisioningStatus {
  NOT_PROVISIONED = 'NOT_PROVISIONED',
  PROVISIONING = 'PROVISIONING',
  PROVISIONED = 'PROVISIONED',
  PARTIAL = 'PARTIAL',
  FAILED = 'FAILED',
  /** A deprovisioning run is accepted and not ended. */
  DEPROVISIONING = 'DEPROVISIONING',
  /** Its last deprovisioning completed; startProvisioning sets it up again. */
  DEPROVISIONED = 'DEPROVISIONED',
}

export enum EngineKind {
  ERPNEXT = 'ERPNEXT',
}

export enum UserRole {
  PLATFORM_ADMIN = 'PLATFORM_ADMIN',
  TENANT_ADMIN = 'TENANT_ADMIN',
}
