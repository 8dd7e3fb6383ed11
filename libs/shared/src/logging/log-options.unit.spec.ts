import pino from 'pino';
import { logOptions, REDACTED } from './log-options';

function capture(level = 'info') {
  const lines: string[] = [];
  const logger = pino(logOptions('api', level), { write: (line: string) => lines.push(line) });
  return { logger, lines };
}

describe('logOptions', () => {
  it('writes one JSON object a line, with the level by name, an ISO time and the app', () => {
    const { logger, lines } = capture();
    logger.info({ streamId: 'agreement-x' }, 'events appended');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      app: 'api',
      streamId: 'agreement-x',
      msg: 'events appended',
    });
  });

  it('censors keys and credentials where a careless log call could put them', () => {
    const { logger, lines } = capture();
    logger.warn(
      {
        authorization: 'Bearer secret-1',
        apiKey: 'secret-2',
        key: 'secret-3',
        secret: 'secret-4',
        password: 'secret-5',
        ADMIN_API_KEY: 'secret-6',
        headers: { authorization: 'Basic secret-7' },
        req: { headers: { authorization: 'Bearer secret-8', cookie: 'secret-9' } },
        config: { ADMIN_API_KEY: 'secret-10' },
      },
      'careless',
    );
    expect(lines[0]).not.toMatch(/secret-\d/);
    expect(JSON.parse(lines[0])).toMatchObject({
      key: REDACTED,
      req: { headers: { cookie: REDACTED } },
    });
  });

  it('writes nothing below the level', () => {
    const { logger, lines } = capture('warn');
    logger.info('request completed');
    expect(lines).toHaveLength(0);
  });
});
