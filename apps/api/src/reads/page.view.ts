// The OpenAPI shape of a list page: { items, nextCursor } (nextCursor null on the last page).
import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

export interface PageView<T> {
  items: T[];
  nextCursor: string | null;
}

/** A named page class for one item type (Swagger needs one class per schema). */
export function PageViewOf<T>(item: Type<T>, name: string): Type<PageView<T>> {
  class Page implements PageView<T> {
    @ApiProperty({ type: [item] }) items!: T[];
    @ApiProperty({
      type: String,
      nullable: true,
      description: 'Pass as ?cursor= for the next page; null on the last page',
    })
    nextCursor!: string | null;
  }
  Object.defineProperty(Page, 'name', { value: name });
  return Page;
}
