// For POSTs that take no body: none, or an empty JSON object, passes; any field is unknown (400),
// as the whitelist does for bodies with a DTO (an empty DTO class cannot be validated with
// forbidUnknownValues, and the global pipe would refuse a missing body).
import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiError } from '../common/api-error';

@Injectable()
export class NoBodyFields implements PipeTransform<unknown, Record<string, never>> {
  transform(value: unknown): Record<string, never> {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new ApiError('VALIDATION_FAILED', 'the body must be a JSON object, or absent');
    }
    const names = Object.keys(value);
    if (names.length > 0) {
      throw new ApiError(
        'VALIDATION_FAILED',
        names.slice(0, 50).map((name) => `${name}: unknown field`),
      );
    }
    return {};
  }
}
