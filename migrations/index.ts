// Every migration, in order. Listed explicitly so the compiled apps need no file globbing.
import { EventStore1763780000000 } from './1763780000000-event-store';
import { ApiKeysAndIdempotency1763790000000 } from './1763790000000-api-keys-and-idempotency';
import { Projections1763800000000 } from './1763800000000-projections';
import { AppendBatch1763810000000 } from './1763810000000-append-batch';
import { ComplianceViolationsIndex1763820000000 } from './1763820000000-compliance-violations-index';
import { AgreementStreamsIndex1763830000000 } from './1763830000000-agreement-streams-index';
import { ProjectionRebuilds1763840000000 } from './1763840000000-projection-rebuilds';
import { ImportEvents1763850000000 } from './1763850000000-import-events';
import { TimelineAccount1763860000000 } from './1763860000000-timeline-account';
import { ObligationViolationCounts1763870000000 } from './1763870000000-obligation-violation-counts';
import { ReplaySnapshots1763880000000 } from './1763880000000-replay-snapshots';
import { SetBasedAppendBatch1763890000000 } from './1763890000000-set-based-append-batch';
import { PartyViolationCounts1763900000000 } from './1763900000000-party-violation-counts';
import { TimelineIndex1763910000000 } from './1763910000000-timeline-index';
import { RecordedAtAfterLock1763920000000 } from './1763920000000-recorded-at-after-lock';

export const MIGRATIONS = [
  EventStore1763780000000,
  ApiKeysAndIdempotency1763790000000,
  Projections1763800000000,
  AppendBatch1763810000000,
  ComplianceViolationsIndex1763820000000,
  AgreementStreamsIndex1763830000000,
  ProjectionRebuilds1763840000000,
  ImportEvents1763850000000,
  TimelineAccount1763860000000,
  ObligationViolationCounts1763870000000,
  ReplaySnapshots1763880000000,
  SetBasedAppendBatch1763890000000,
  PartyViolationCounts1763900000000,
  TimelineIndex1763910000000,
  RecordedAtAfterLock1763920000000,
];
