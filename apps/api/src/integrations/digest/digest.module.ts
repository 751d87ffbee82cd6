import { Module } from '@nestjs/common';
import { WeeklyDigestContent } from './weekly-digest-content.js';
import { WeeklyDigestJob } from './weekly-digest.job.js';

/** The opt-in weekly digest mail (DESIGN §7); the opt-in itself is PUT /api/me/preferences (mail module). */
@Module({
  providers: [WeeklyDigestContent, WeeklyDigestJob],
})
export class DigestModule {}
