import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { randomUUID } from 'node:crypto';
import { StepKey, StepStatus } from '../model.js';
import { ProvisioningRun } from './provisioning-run.entity.js';

@Entity({ tableName: 'provisioning_step' })
export class ProvisioningStep {
  [OptionalProps]?: 'status' | 'attempts';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => ProvisioningRun, { deleteRule: 'cascade' })
  run!: ProvisioningRun;

  @Enum({ items: () => StepKey, type: 'text' })
  key!: StepKey;

  @Property({ type: 'smallint', fieldName: 'index' })
  index!: number;

  @Enum({ items: () => StepStatus, type: 'text' })
  status: StepStatus = StepStatus.PENDING;

  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'datetime', nullable: true })
  startedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date | null;

  @Property({ type: 'integer', nullable: true })
  durationMs?: number | null;

  @Property({ type: 'text', nullable: true })
  message?: string | null;

  @Property({ type: 'text', nullable: true })
  error?: string | null;

  @Property({ type: 'text', nullable: true })
  errorCode?: string | null;

  @Property({ type: 'text', nullable: true })
  skippedBy?: string | null;

  @Property({ type: 'text', nullable: true })
  skipReason?: string | null;

  @Property({ type: 'json', nullable: true })
  output?: Record<string, unknown> | null;
}
