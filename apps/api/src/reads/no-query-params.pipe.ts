// For reads that take no query parameters: an unknown one is a 400, as the whitelist does for
// reads with a query DTO (a DTO without fields cannot be validated with forbidUnknownValues).
import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiError } from '../common/api-error';

@Injectable()
export class NoQueryParams implements PipeTransform<unknown, Record<string, never>> {
  transform(value: unknown): Record<string, never> {
    const names = Object.keys((value ?? {}) as object);
    if (names.length > 0) {
      throw new ApiError(
        'VALIDATION_FAILED',
        names.slice(0, 50).map((name) => `${name}: unknown field`),
      );
    }
    return {};
  }
}
