import { ApiProperty, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'JobRun' })
export class JobRunResponse {
  @ApiProperty() job!: string;
  @ApiProperty({ type: String, format: 'date-time' }) startedAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) finishedAt!: Date;
  @ApiProperty({ type: 'integer' }) durationMs!: number;
  @ApiProperty({ enum: ['ok', 'failed', 'skipped_locked'], description: 'skipped_locked: another instance held the job lock' }) outcome!: string;
  @ApiProperty({ type: String, nullable: true }) detail!: string | null;
}

@ApiSchema({ name: 'ScheduledJob' })
export class ScheduledJobResponse {
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) cron!: string | null;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ description: 'false: a job with recorded runs that this build no longer defines' }) registered!: boolean;
  @ApiProperty({ type: JobRunResponse, nullable: true, description: 'the last run, any outcome' }) lastRun!: JobRunResponse | null;
  @ApiProperty({ type: JobRunResponse, nullable: true, description: 'the last run that actually executed (ok or failed)' }) lastExecution!: JobRunResponse | null;
}

@ApiSchema({ name: 'ScheduledJobs' })
export class ScheduledJobsResponse {
  @ApiProperty({ type: [ScheduledJobResponse] }) items!: ScheduledJobResponse[];
}
