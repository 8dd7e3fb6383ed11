// Nest's loggers write through the API's pino logger: outside requests directly, inside one
// through the child bindRequestLogger put in nestjs-pino's store. nestjs-pino's own middleware is
// not mounted (no routes): that hook does its work.
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';

@Module({})
export class ApiLoggingModule {
  static forRoot(logger: Logger): DynamicModule {
    return {
      module: ApiLoggingModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { logger }, useExisting: true, forRoutes: [] })],
    };
  }
}
