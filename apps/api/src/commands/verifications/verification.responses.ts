import { ApiProperty, ApiSchema, PickType } from '@nestjs/swagger';
import { BikeResponse, PartSummaryResponse } from '../../queries/read-models/read-model.responses.js';
import { ContributorResponse } from '../../queries/parts/part.responses.js';
import type { MyVerification } from './my-verifications.query.js';

@ApiSchema({ name: 'RecentVerificationPart' })
export class RecentVerificationPartResponse extends PickType(PartSummaryResponse, ['id', 'slug', 'brand', 'name', 'category'] as const) {}

@ApiSchema({ name: 'RecentVerificationBike' })
export class RecentVerificationBikeResponse extends PickType(BikeResponse, ['id', 'slug', 'year', 'make', 'model', 'trim'] as const) {}

@ApiSchema({ name: 'RecentVerification' })
export class RecentVerificationResponse {
  @ApiProperty({ format: 'uuid' }) verificationId!: string;
  @ApiProperty() fits!: boolean;
  @ApiProperty({ format: 'date-time' }) submittedAt!: string;
  @ApiProperty({ type: ContributorResponse }) contributor!: ContributorResponse;
  @ApiProperty({ type: RecentVerificationPartResponse }) part!: RecentVerificationPartResponse;
  @ApiProperty({ type: RecentVerificationBikeResponse }) bike!: RecentVerificationBikeResponse;
}

@ApiSchema({ name: 'RecentVerifications', description: 'The newest active verifications across the catalog' })
export class RecentVerificationsResponse {
  @ApiProperty({ type: [RecentVerificationResponse] }) items!: RecentVerificationResponse[];
}

@ApiSchema({ name: 'MyVerification' })
export class MyVerificationResponse implements MyVerification {
  @ApiProperty({ format: 'uuid' }) verificationId!: string;
  @ApiProperty({ format: 'uuid' }) bikeId!: string;
  @ApiProperty({ description: 'active, superseded or retracted: only an active one can be retracted' }) lifecycle!: string;
}

@ApiSchema({ name: 'MyVerifications', description: "The signed-in rider's own verifications of a part" })
export class MyVerificationsResponse {
  @ApiProperty({ type: [MyVerificationResponse] }) items!: MyVerificationResponse[];
}

@ApiSchema({ name: 'HiddenVerification', description: 'A verification a moderator has hidden: it no longer counts towards a fit' })
export class HiddenVerificationResponse extends RecentVerificationResponse {
  @ApiProperty({ description: 'active, superseded or retracted: where the rider left it (hiding is separate)' }) lifecycle!: string;
  @ApiProperty({ format: 'date-time', description: 'when it was (last) hidden' }) hiddenAt!: string;
  @ApiProperty({ type: ContributorResponse, description: 'the moderator who hid it' }) hiddenBy!: ContributorResponse;
  @ApiProperty({ description: "the moderator's reason" }) reason!: string;
}

@ApiSchema({ name: 'HiddenVerifications', description: 'Hidden verifications, newest hidden first (moderators)' })
export class HiddenVerificationsResponse {
  @ApiProperty({ type: [HiddenVerificationResponse] }) items!: HiddenVerificationResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() limit!: number;
}
