import { IdFilter } from '../../reads/id-filter';
import { TimeFilter } from '../../reads/time-filter';

/** The filters both exports take. */
export class ViolationExportRequest {
  @IdFilter('Only reports under this agreement', 'gaza-2025-10')
  agreementId?: string;

  @TimeFilter('Reports that occurred at or after this time', '2025-10-10T00:00:00Z')
  from?: string;

  @TimeFilter('Reports that occurred before this time', '2025-11-10T00:00:00Z')
  to?: string;
}
