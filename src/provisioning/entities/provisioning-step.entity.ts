import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { randomUUID } from 'node:crypto';
import { StepKey, StepStatus } from '../model.js';
import { ProvisioningRun } from './provisioning-run.entity.js';

/** One step of a run: its state, attempts, timings and outcome. */
@Entity({ tableName: 'provisioning_step' })
@Unique({ name: 'provisioning_step_run_id_key_key', properties: ['run', 'key'] })
@Unique({ name: 'provisioning_step_run_id_index_key', properties: ['run', 'index'] })
export class ProvisioningStep {
  [OptionalProps]?: 'status' | 'attempts' | 'output' | 'dependsOn' | 'input';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => ProvisioningRun, { deleteRule: 'cascade', foreignKeyName: 'provisioning_step_run_id_fkey' })
  run!: Rel<ProvisioningRun>;

  /** Text, not a checked enum: the set of steps belongs to the code that runs them. */
  @Property({ type: 'text' })
  key!: StepKey;

  @Property({ type: 'smallint', fieldName: 'index' })
  index!: number;

  /** Steps of the same run that must be done before this one starts. */
  @Property({ type: 'text[]', defaultRaw: `'{}'` })
  dependsOn: StepKey[] = [];

  /** What the run's template asked of this step when the run started. */
  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  input: unknown = null;

  @Property({ type: 'text', default: StepStatus.PENDING })
  status: StepStatus = StepStatus.PENDING;

  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Property({ type: 'datetime', nullable: true })
  startedAt: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  completedAt: Date | null = null;

  @Property({ type: 'integer', nullable: true })
  durationMs: number | null = null;

  @Property({ type: 'text', nullable: true })
  message: string | null = null;

  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Property({ type: 'text', nullable: true })
  errorCode: string | null = null;

  @Property({ type: 'text', nullable: true })
  skippedBy: string | null = null;

  @Property({ type: 'text', nullable: true })
  skipReason: string | null = null;

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  output: Record<string, unknown> | null = null;
}
