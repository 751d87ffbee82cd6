import { Body, Controller, Get, HttpCode, NotFoundException, Post, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Authenticated, CurrentUser } from '../../auth/authenticated.decorator.js';
import type { AuthenticatedRequest } from '../../auth/request-auth.js';
import type { User } from '../../auth/users.repository.js';
import { commandContextFrom } from '../../commands/shell/command-context.js';
import { UuidParam } from '../../http/uuid-param.js';
import { StrictRateLimit } from '../../http/rate-limit/strict-rate-limit.decorator.js';
import { AuditCheckpoints, type CheckpointConsistency, type PublishedCheckpoint } from './audit-checkpoints.js';
import { CheckpointConsistencyDto } from './checkpoint-consistency.dto.js';
import { AuditKeys } from './audit-keys.js';
import { VerificationProofQuery, type VerificationProof } from './verification-proof.query.js';
import { ApiProblems } from '../../http/openapi/api-problems.decorator.js';
import { AuditPublicKeyResponse, CheckpointConsistencyResponse, PublishedCheckpointResponse, PublishedCheckpointsResponse, VerificationProofResponse } from './audit.responses.js';

export class CheckpointListQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

const NO_SIGNING_KEY = 'no audit signing key is configured on this server';

/** The public audit anchors (docs/domain.md "Signed checkpoints"): anyone can check what we publish. */
@ApiTags('audit')
@Controller('api')
export class AuditController {
  constructor(
    private readonly keys: AuditKeys,
    private readonly checkpoints: AuditCheckpoints,
    private readonly queries: QueryBus,
  ) {}

  @Get('audit/public-key')
  @ApiOperation({ summary: 'The Ed25519 public key (SPKI PEM) that signs checkpoints' })
  @ApiOkResponse({ type: AuditPublicKeyResponse })
  @ApiProblems([503, NO_SIGNING_KEY])
  publicKey(): AuditPublicKeyResponse {
    const { algorithm, publicKey } = this.keys.publicKey();
    return { algorithm, publicKey };
  }

  @Get('audit/checkpoints')
  @ApiOperation({ summary: 'Signed checkpoints, newest first' })
  @ApiOkResponse({ type: PublishedCheckpointsResponse })
  async list(@Query() query: CheckpointListQueryDto): Promise<{ items: PublishedCheckpoint[] }> {
    return { items: await this.checkpoints.list(query.limit ?? 100) };
  }

  @Get('audit/checkpoints/latest')
  @ApiOperation({ summary: 'The newest signed checkpoint' })
  @ApiOkResponse({ type: PublishedCheckpointResponse })
  @ApiProblems([404, 'no checkpoint published yet'])
  async latest(): Promise<PublishedCheckpoint> {
    const latest = await this.checkpoints.latest();
    if (!latest) throw new NotFoundException('No audit checkpoint has been published yet.');
    return latest;
  }

  /** POST because a witness file's heads make a body; it changes nothing. Reads the whole log, hence the strict limit. */
  @Post('audit/checkpoints/consistency')
  @HttpCode(200)
  @StrictRateLimit()
  @ApiOperation({
    summary: 'Whether the log as it is now is consistent with a published checkpoint',
    description:
      'Send a checkpoint as GET /api/audit/checkpoints answered it, or a witness file (which adds the heads). Answers whether the heads at its ' +
      'position still give its signed root and every fitment chain still verifies up to the current head, naming the first diverging stream ' +
      '(in stream id order) when it can: a rewritten chain needs the heads to be named. Not a substitute for checking offline (tools/audit/verify-offline.mjs).',
  })
  @ApiOkResponse({ type: CheckpointConsistencyResponse })
  @ApiProblems([400, 'a malformed checkpoint, a signature that is not ours, or heads that do not give the root (naming the field)'])
  consistency(@Body() body: CheckpointConsistencyDto): Promise<CheckpointConsistency> {
    return this.checkpoints.consistencyWith({ checkpoint: body.checkpoint, signature: body.signature }, body.heads);
  }

  @Get('verifications/:id/proof')
  @ApiOperation({ summary: 'A verification, its chain to the head, and the head’s inclusion proof in the latest checkpoint' })
  @ApiOkResponse({ type: VerificationProofResponse })
  @ApiProblems([404, 'no such verification'], [409, 'no checkpoint yet, or the verification came after the latest one'])
  proof(@UuidParam('id') id: string): Promise<VerificationProof> {
    return this.queries.execute(new VerificationProofQuery(id));
  }

  @Post('admin/audit/checkpoints')
  @HttpCode(201)
  @Authenticated('admin')
  @ApiOperation({ summary: 'Makes, signs and records a checkpoint now; answers it' })
  @ApiCreatedResponse({ type: PublishedCheckpointResponse })
  @ApiProblems([503, NO_SIGNING_KEY])
  async create(@CurrentUser() user: User, @Req() req: AuthenticatedRequest): Promise<PublishedCheckpoint> {
    const created = await this.checkpoints.create(commandContextFrom(req, user.id));
    return { ...created.signed, keyId: created.keyId };
  }
}
