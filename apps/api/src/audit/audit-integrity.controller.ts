// Auditors check the ledger: recompute every hash chain and seal, and read the seals themselves
// (the hashes an operator publishes elsewhere, so anyone can later prove nothing was rewritten).
import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { EventStore, IntegrityProblem, ProblemKind, Seal, VerifyReport } from '@app/event-store';
import { ApiError } from '../common/api-error';
import { Roles } from '../common/auth/roles';
import { PageRequest } from '../reads/page.request.dto';
import { PageView, PageViewOf } from '../reads/page.view';
import { ReadApiResponses } from '../reads/read-api-responses';

/** `<type>-<id>`, as the stream events endpoint takes it. */
export const STREAM_ID_PATTERN = /^(agreement|obligation|violation)-[A-Za-z0-9-]{1,64}$/;

const PROBLEM_KINDS: ProblemKind[] = [
  'hash_mismatch',
  'chain_break',
  'version_gap',
  'seal_mismatch',
  'missing_events',
];

export class VerifyQuery {
  @ApiPropertyOptional({
    description:
      "Check one stream's chain only (`agreement-<id>`, `obligation-<id>`, `violation-<id>`); " +
      'omit to check every stream and every seal',
    example: 'agreement-gaza-2025-10',
  })
  @IsOptional()
  @IsString()
  @Matches(STREAM_ID_PATTERN, {
    message: 'streamId must be agreement-<id>, obligation-<id> or violation-<id>',
  })
  streamId?: string;
}

export class IntegrityProblemView {
  @ApiProperty({ enum: PROBLEM_KINDS }) kind!: ProblemKind;
  @ApiPropertyOptional({ description: 'The stream the problem is in (absent for a seal problem)' })
  streamId?: string;
  @ApiPropertyOptional({ description: 'The version of the event, or the stream head version' })
  streamVersion?: number;
  @ApiPropertyOptional({ description: "The event's global position, or the seal's toPosition" })
  position?: number;
  @ApiPropertyOptional({ description: 'The seal the problem is in (seal problems only)' })
  sealNo?: number;
  @ApiProperty({ example: 'the stored hash does not match the event as stored' }) detail!: string;
}

export class VerifyReportView {
  @ApiProperty({ description: 'true when no problem was found' }) ok!: boolean;
  @ApiProperty() streamsChecked!: number;
  @ApiProperty() eventsChecked!: number;
  @ApiProperty({ description: '0 when one stream was checked (seals span every stream)' })
  sealsChecked!: number;
  @ApiProperty({ type: [IntegrityProblemView] }) problems!: IntegrityProblemView[];
}

export class SealView {
  @ApiProperty({ example: 12 }) sealNo!: number;
  @ApiProperty({ description: 'Global position of the last event the seal covers' })
  toPosition!: number;
  @ApiProperty({ description: 'Events this seal covers (those after the previous seal)' })
  eventCount!: number;
  @ApiProperty({ description: "sha256 of the covered events' hashes in feed order (hex)" })
  digest!: string;
  @ApiProperty({ description: "The previous seal's sealHash (hex; zeros for the first seal)" })
  prevSealHash!: string;
  @ApiProperty({
    description: 'sha256(prevSealHash || digest || "<from>..<to>:<count>") (hex): publish this',
  })
  sealHash!: string;
  @ApiProperty({ example: '2025-10-28T14:30:05.123Z' }) sealedAt!: string;
  @ApiProperty({ description: 'Feed cursor (GET /v1/events?after=) just before the first event' })
  fromCursor!: string;
  @ApiProperty({ description: 'Feed cursor just after the last covered event' })
  toCursor!: string;
}

const SealPageView = PageViewOf(SealView, 'SealPageView');

// A seal page's cursor: the sealNo the next page starts at, opaque to clients.
export const encodeSealCursor = (sealNo: number) =>
  Buffer.from(`s1.${sealNo}`).toString('base64url');
export function decodeSealCursor(cursor: string): number {
  const m = /^s1\.(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!/^[A-Za-z0-9_-]+$/.test(cursor) || !m || Number(m[1]) < 1) {
    throw new ApiError('VALIDATION_FAILED', 'cursor is not one this service issued');
  }
  return Number(m[1]);
}

const problemView = (p: IntegrityProblem): IntegrityProblemView => {
  const v: IntegrityProblemView = { kind: p.kind, detail: p.detail };
  if (p.streamId !== undefined) v.streamId = p.streamId;
  if (p.streamVersion !== undefined) v.streamVersion = p.streamVersion;
  if (p.position !== undefined) v.position = p.position;
  if (p.sealNo !== undefined) v.sealNo = p.sealNo;
  return v;
};

const reportView = (r: VerifyReport): VerifyReportView => ({
  ok: r.ok,
  streamsChecked: r.streamsChecked,
  eventsChecked: r.eventsChecked,
  sealsChecked: r.sealsChecked,
  problems: r.problems.map(problemView),
});

export const sealView = (s: Seal): SealView => ({
  sealNo: s.sealNo,
  toPosition: s.toPosition,
  eventCount: s.eventCount,
  digest: s.digest,
  prevSealHash: s.prevSealHash,
  sealHash: s.sealHash,
  sealedAt: s.sealedAt.toISOString(),
  fromCursor: s.fromCursor,
  toCursor: s.toCursor,
});

@ApiTags('audit')
@Roles('auditor')
@Controller('v1/audit')
export class AuditIntegrityController {
  constructor(private readonly store: EventStore) {}

  @Get('verify')
  @ApiOperation({
    summary:
      "Recompute every hash chain and ledger seal (or one stream's chain) and report problems",
    description:
      'Reads every event of the ledger (or of one stream): on a large ledger this takes a while. ' +
      'Each problem names its stream, version and global position (or seal). ' +
      'A streamId with no events and no stream head is a 404.',
  })
  @ApiOkResponse({ type: VerifyReportView })
  @ReadApiResponses({ forbidden: true, notFound: true })
  async verify(@Query() query: VerifyQuery): Promise<VerifyReportView> {
    const report = await this.store.verify({ streamId: query.streamId });
    if (query.streamId !== undefined && report.streamsChecked === 0) {
      throw new ApiError('NOT_FOUND', `no stream ${query.streamId}`);
    }
    return reportView(report);
  }

  @Get('seals')
  @ApiOperation({
    summary: 'The ledger seals, newest first',
    description:
      'Each seal chains the previous one and covers the events committed after it; ' +
      'GET /v1/audit/verify recomputes them all.',
  })
  @ApiOkResponse({ type: SealPageView })
  @ReadApiResponses({ forbidden: true })
  async seals(@Query() query: PageRequest): Promise<PageView<SealView>> {
    const limit = query.limit ?? 50;
    const startAt = query.cursor === undefined ? undefined : decodeSealCursor(query.cursor);
    const seals = await this.store.listSeals(
      limit + 1,
      startAt === undefined ? undefined : startAt + 1,
    );
    return {
      items: seals.slice(0, limit).map(sealView),
      nextCursor: seals.length > limit ? encodeSealCursor(seals[limit].sealNo) : null,
    };
  }
}
