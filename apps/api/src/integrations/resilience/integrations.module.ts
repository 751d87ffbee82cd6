import { Global, Module } from '@nestjs/common';
import { IntegrationErrors } from './integration-errors.js';
import { Resilience } from './resilience.js';

/** The resilience helper every outbound call goes through, and the record of calls that failed for good. */
@Global()
@Module({
  providers: [IntegrationErrors, Resilience],
  exports: [IntegrationErrors, Resilience],
})
export class IntegrationsModule {}
