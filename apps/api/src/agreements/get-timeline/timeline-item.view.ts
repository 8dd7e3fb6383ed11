import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Source } from '@app/domain';
import type {
  TimelineItem,
  TimelineLink,
  TimelineRecorder,
  TimelineSubject,
} from '@app/projections';
import { TIMELINE_SUBJECT_KINDS } from '@app/projections';
import { SourceView } from '../../common/validation/source.dto';

export class TimelineRecorderView implements TimelineRecorder {
  @ApiProperty({
    example: 'Field monitor',
    description: 'The name of the API key that recorded it',
  })
  name!: string;
  @ApiProperty({ example: 'monitor', description: "That key's role" }) role!: string;
}

export class TimelineSubjectView implements TimelineSubject {
  @ApiProperty({ enum: TIMELINE_SUBJECT_KINDS, example: 'violation' })
  kind!: TimelineSubject['kind'];
  @ApiProperty({
    example: 'v-gaza-city',
    description: 'The agreement, obligation, report or tally id',
  })
  id!: string;
  @ApiPropertyOptional({
    example: 'airstrike by israel at Gaza City',
    description:
      "The agreement's or obligation's title, a report's category, party and place, or a tally's source and date",
  })
  title?: string;
}

export class TimelineLinkView implements TimelineLink {
  @ApiProperty({ example: 40, description: 'Global position of the earlier entry' })
  position!: number;
  @ApiProperty({ example: 'ViolationReported' }) type!: string;
}

export class TimelineItemView implements TimelineItem {
  @ApiProperty({ example: 42, description: 'Global position of the event' }) position!: number;
  @ApiProperty({ example: '2025-10-29T09:12:00.000Z' }) recordedAt!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'When it happened in the world; null for a pure act of recording',
  })
  occurredAt!: string | null;
  @ApiProperty({ example: 'CasualtiesRevised' }) type!: string;
  @ApiProperty({ example: 'violation-v-gaza-city' }) streamId!: string;
  @ApiProperty({
    example:
      'Field monitor (monitor) revised the casualties of report v-gaza-city from 1 killed and 4 injured to 3 killed and 4 injured, citing Gaza Health Ministry (official): two died of wounds.',
    description:
      'One sentence: who recorded what, about which obligation or report, with its figures and sources',
  })
  summary!: string;
  @ApiProperty({
    type: TimelineRecorderView,
    nullable: true,
    description: "Who recorded it (from the event's metadata); null when no actor was recorded",
  })
  recordedBy!: TimelineRecorder | null;
  @ApiProperty({ type: [SourceView], description: 'The sources the event cites (may be empty)' })
  sources!: Source[];
  @ApiProperty({ type: TimelineSubjectView, description: 'What the event is about' })
  subject!: TimelineSubject;
  @ApiProperty({
    type: TimelineLinkView,
    nullable: true,
    description:
      'For corrections and answers (casualty revisions, disputes, verifications, retractions, added sources, deadline amendments, suspensions, resumptions, waivers): the earlier entry of the same stream they correct or answer; null otherwise',
  })
  corrects!: TimelineLink | null;
}
