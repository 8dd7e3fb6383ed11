import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiError } from '../api-error';
import { ID_PATTERN } from './validators';

/** An id in the path that cannot exist is simply not found. */
@Injectable()
export class PathId implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !ID_PATTERN.test(value))
      throw new ApiError(
        'NOT_FOUND',
        `nothing is found at ${JSON.stringify(String(value).slice(0, 80))}`,
      );
    return value;
  }
}
