import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/roles';
import { ReadApiResponses } from '../../reads/read-api-responses';
import { ViolationExportRequest } from '../export-violations-csv/violation-export.request.dto';
import { ExportViolationsGeoJsonQuery } from './export-violations-geojson.query';

const FEATURE_COLLECTION_SCHEMA = {
  type: 'object',
  properties: {
    type: { type: 'string', enum: ['FeatureCollection'] },
    features: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          type: { type: 'string', enum: ['Feature'] },
          id: { type: 'string', example: 'v-gaza-city' },
          geometry: {
            type: 'object',
            properties: {
              type: { type: 'string', enum: ['Point'] },
              coordinates: {
                type: 'array',
                items: { type: 'number' },
                minItems: 2,
                maxItems: 2,
                description: '[longitude, latitude]',
                example: [34.4668, 31.5017],
              },
            },
          },
          properties: {
            type: 'object',
            properties: {
              agreementId: { type: 'string' },
              occurredAt: { type: 'string' },
              category: { type: 'string' },
              allegedPartyId: { type: 'string' },
              location: { type: 'string' },
              precision: { type: 'string' },
              killed: { type: 'integer' },
              injured: { type: 'integer' },
              verification: { type: 'string' },
              description: { type: 'string' },
            },
          },
        },
      },
    },
  },
};

@ApiTags('violations')
@Controller('v1/violations')
export class ExportViolationsGeoJsonController {
  constructor(private readonly queries: QueryBus) {}

  @Get('export.geojson')
  @Roles('reader')
  @ApiOperation({
    summary: 'Violation reports that have coordinates, as a GeoJSON FeatureCollection',
  })
  @ApiProduces('application/geo+json')
  @ApiOkResponse({ description: 'application/geo+json', schema: FEATURE_COLLECTION_SCHEMA })
  @ReadApiResponses()
  async export(@Query() query: ViolationExportRequest): Promise<StreamableFile> {
    const geojson = await this.queries.execute(
      new ExportViolationsGeoJsonQuery({
        agreementId: query.agreementId,
        from: query.from,
        to: query.to,
      }),
    );
    return new StreamableFile(geojson, {
      type: 'application/geo+json',
      disposition: 'inline; filename="violations.geojson"',
    });
  }
}
