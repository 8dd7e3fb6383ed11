import 'reflect-metadata';
import { prepareRuntime } from '@app/shared';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const config = await prepareRuntime('api');
  const app = await createApp();
  await app.listen(config.PORT, config.HOST);
  console.log(`[api] listening on http://${config.HOST}:${config.PORT}`);
}

void main();
