// JSON logs for the worker at LOG_LEVEL, with the API's redaction. Jobs are not requests: a line
// names its processor (`context`), and there is no correlation id to carry.
import { DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig, logOptions } from '@app/shared';

export function workerLogging(): DynamicModule {
  return LoggerModule.forRootAsync({
    inject: [ConfigService],
    useFactory: (config: ConfigService<AppConfig, true>) => ({
      pinoHttp: logOptions('worker', config.get('LOG_LEVEL', { infer: true })),
    }),
  });
}
