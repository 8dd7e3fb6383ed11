import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { ACTOR_ROLES, ActorRole } from '@app/domain';
import { ApiError } from '../../common/api-error';
import { ApiKeysService } from '../../common/auth/api-keys.service';
import { Roles } from '../../common/auth/roles';

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
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key; the secret is shown once' })
  create(@Body() body: CreateApiKeyRequest) {
    return this.keys.create(body.name.trim(), body.role);
  }

  @Get()
  @ApiOperation({ summary: 'List API keys (no secrets)' })
  async list() {
    return { items: await this.keys.list(), nextCursor: null };
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an API key; refused from the next request' })
  async revoke(@Param('id') id: string) {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    if (!uuid.test(id) || !(await this.keys.revoke(id)))
      throw new ApiError('NOT_FOUND', `no API key ${id}`);
    return { id, revoked: true };
  }
}
