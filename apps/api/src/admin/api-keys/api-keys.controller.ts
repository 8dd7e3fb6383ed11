import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import type { FastifyReply } from 'fastify';
import type { Pool } from 'pg';
import { ACTOR_ROLES, ActorRole } from '@app/domain';
import { decodeListCursor, encodeListCursor, pageLimit } from '@app/projections';
import { PG_POOL } from '@app/shared';
import { listApiKeys, UUID_PATTERN } from '@app/shared/api-keys/api-keys.store';
import { ApiError } from '../../common/api-error';
import { ApiKeysService } from '../../common/auth/api-keys.service';
import { Roles } from '../../common/auth/roles';
import { Write, WriteRequest } from '../../common/request-context';
import { respond } from '../../common/writes/respond';
import { WriteApiResponses } from '../../common/writes/write-api-responses';
import { NoQueryParams } from '../../reads/no-query-params.pipe';
import { PageRequest } from '../../reads/page.request.dto';
import type { PageView } from '../../reads/page.view';
import { ReadApiResponses } from '../../reads/read-api-responses';
import {
  ApiKeyPageView,
  ApiKeyView,
  apiKeyView,
  CreatedApiKeyView,
  RevokedApiKeyView,
} from './api-key.view';
import { createApiKeyOnce } from './create-api-key';

export class CreateApiKeyRequest {
  @ApiProperty({
    description: 'Who the key is for',
    example: 'UN OCHA field desk',
    minLength: 1,
    maxLength: 200,
  })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: ACTOR_ROLES, example: 'monitor' })
  @IsIn(ACTOR_ROLES)
  role!: ActorRole;
}

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/admin/api-keys')
export class ApiKeysController {
  constructor(
    private readonly keys: ApiKeysService,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Create an API key; the secret is shown once',
    description:
      'Only the SHA-256 hash of the secret is stored. Retried with the same Idempotency-Key and ' +
      'body, the answer is the first one without `key` (the secret exists nowhere any more): a ' +
      'client that lost the first answer revokes that key and creates another.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyView })
  @WriteApiResponses({ stream: false })
  async create(
    @Body() body: CreateApiKeyRequest,
    @Write() request: WriteRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreatedApiKeyView> {
    return respond(reply, await createApiKeyOnce(this.pool, request, body.name.trim(), body.role));
  }

  @Get()
  @ApiOperation({ summary: 'List API keys, oldest first (no secrets)' })
  @ApiOkResponse({ type: ApiKeyPageView })
  @ReadApiResponses({ forbidden: true })
  async list(@Query() query: PageRequest): Promise<PageView<ApiKeyView>> {
    const limit = pageLimit(query.limit);
    const after = decodeListCursor('api-keys', query.cursor, UUID_PATTERN);
    const keys = await listApiKeys(this.pool, { after, limit: limit + 1 });
    const page = keys.slice(0, limit);
    return {
      items: page.map(apiKeyView),
      nextCursor:
        keys.length > limit ? encodeListCursor('api-keys', page[page.length - 1].id) : null,
    };
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an API key; refused from the next request' })
  @ApiOkResponse({ type: RevokedApiKeyView })
  @ReadApiResponses({ forbidden: true, notFound: true })
  async revoke(
    @Param('id') id: string,
    @Query(NoQueryParams) _query: Record<string, never>,
  ): Promise<RevokedApiKeyView> {
    if (!UUID_PATTERN.test(id) || !(await this.keys.revoke(id)))
      throw new ApiError('NOT_FOUND', `no API key ${id}`);
    return { id, revoked: true };
  }
}
