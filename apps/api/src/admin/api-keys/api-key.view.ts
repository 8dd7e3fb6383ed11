// What the API-key endpoints answer: never a secret, except `key` in the first answer to a create.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACTOR_ROLES, ActorRole } from '@app/domain';
import type { ApiKeyView as StoredApiKey } from '@app/shared/api-keys/api-keys.store';
import { PageViewOf } from '../../reads/page.view';

export class ApiKeyView {
  @ApiProperty({ format: 'uuid', example: '5c0b6f8e-3f7a-4d52-9a43-0f6c2b1d9e21' }) id!: string;
  @ApiProperty({ example: 'UN OCHA field desk' }) name!: string;
  @ApiProperty({ enum: ACTOR_ROLES, example: 'monitor' }) role!: ActorRole;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'cfl_Q2x9bT',
    description:
      "A generated key's first 10 characters (`cfl_` and 6 of its random ones), to tell keys apart; " +
      'null for the ADMIN_API_KEY key, whose operator-chosen secret is not shown in any part',
  })
  keyPrefix!: string | null;
  @ApiProperty({ example: '2025-10-10T09:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true, example: null }) revokedAt!: string | null;
}

export class CreatedApiKeyView extends ApiKeyView {
  @ApiPropertyOptional({
    example: 'cfl_Q2x9bTq3W1mZ0f8yXcV4rKp7sLh2nDjA6uEo5iGt9Bw',
    description:
      'The secret, shown this once (only its hash is stored). Absent when the answer repeats the ' +
      'first one for a retried Idempotency-Key (header Idempotent-Replayed: true): a client that ' +
      'lost the first answer revokes that key and creates another.',
  })
  key?: string;
}

export const ApiKeyPageView = PageViewOf(ApiKeyView, 'ApiKeyPageView');

export class RevokedApiKeyView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: true }) revoked!: true;
}

/** A key as the API shows it: the store's empty prefix (an operator-chosen secret) is null. */
export const apiKeyView = (key: StoredApiKey): ApiKeyView => ({
  id: key.id,
  name: key.name,
  role: key.role,
  keyPrefix: key.keyPrefix === '' ? null : key.keyPrefix,
  createdAt: key.createdAt,
  revokedAt: key.revokedAt,
});
