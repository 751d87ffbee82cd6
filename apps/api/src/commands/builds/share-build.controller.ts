import { Body, ConflictException, Controller, ForbiddenException, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { buildDecider, buildStream, NotFound } from '@mpp/domain';
import type { Knex } from '@mpp/db';
import { Authenticated, CurrentUser } from '../../auth/authenticated.decorator.js';
import { EmailCipher } from '../../auth/email-cipher.js';
import type { User } from '../../auth/users.repository.js';
import { StreamCommands } from '../shell/stream-commands.js';
import { UuidParam } from '../../http/uuid-param.js';
import { KNEX } from '../../infrastructure/tokens.js';
import { redactText } from '../../integrations/resilience/personal-data-redaction.js';
import { refuseShareMailOverCap } from '../../integrations/mail/outgoing-mail-cap.js';
import { OutboxWriter } from '../../integrations/mail/outbox-writer.js';
import { StrictRateLimit } from '../../http/rate-limit/strict-rate-limit.decorator.js';
import { ShareBuildDto } from './share-build.dto.js';
import { PersonalResponse } from '../../http/personal-response.js';
import { ApiProblems } from '../../http/openapi/api-problems.decorator.js';

@ApiTags('builds')
@Controller('api/builds')
@PersonalResponse()
export class ShareBuildController {
  constructor(
    private readonly streams: StreamCommands,
    private readonly outbox: OutboxWriter,
    private readonly cipher: EmailCipher,
    @Inject(KNEX) private readonly knex: Knex,
  ) {}

  /**
   * Mails a link to the build to any address (a friend without an account). Owner only, and under
   * the strict rate limit: it sends mail to addresses we do not know. The same build to the same
   * address goes at most once a UTC day (the dedupe key holds the address's keyed hash, not the
   * address); a repeat is accepted and sends nothing.
   */
  @Post(':id/share')
  @Authenticated()
  @StrictRateLimit()
  @HttpCode(202)
  @ApiOperation({ summary: 'Email a link to one of your builds' })
  @ApiAcceptedResponse({ description: 'the mail is queued' })
  @ApiProblems([404, 'no such build'], [409, 'the build is private'])
  async share(@UuidParam('id') id: string, @Body() body: ShareBuildDto, @CurrentUser() user: User): Promise<void> {
    // The event store, not the builds read model: a build created a moment ago can be shared at once.
    const { state } = await this.streams.load(buildStream(id), buildDecider);
    if (state.status !== 'active') throw new NotFound('build', id);
    if (state.build.ownerId !== user.id) throw new ForbiddenException('Only the owner can share this build.');
    if (state.build.visibility === 'private') {
      throw new ConflictException('This build is private: make it unlisted or public first, or the link will not open for them.');
    }
    const day = new Date().toISOString().slice(0, 10);
    await this.knex.transaction(async (trx) => {
      await refuseShareMailOverCap(trx, user.id);
      await this.outbox.enqueue(trx, {
        kind: 'build-shared',
        to: { email: body.email },
        // The outbox refuses data holding an address; a build name is free text a rider could put one in.
        data: { buildId: id, buildName: redactText(state.build.name), sharedByUserId: user.id },
        dedupeKey: `build-shared:${id}:${this.cipher.lookupHash(body.email)}:${day}`,
      });
    });
  }
}
