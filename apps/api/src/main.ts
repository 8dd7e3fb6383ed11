import 'reflect-metadata';
import { closeOnSignals, prepareRuntime } from '@app/shared';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const config = await prepareRuntime('api');
  const app = await createApp();
  closeOnSignals('api', app);
  await app.listen(config.PORT, config.HOST);
  console.log(`[api] listening on http://${config.HOST}:${config.PORT}`);
}

void main();
