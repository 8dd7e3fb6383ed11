import { ConfigError, validateConfig } from './app-config';

describe('validateConfig', () => {
  it('works on a developer machine with no variables set', () => {
    expect(validateConfig({})).toMatchObject({
      DATABASE_URL: 'postgres://ceasefire_app@127.0.0.1:5432/ceasefire',
      MIGRATIONS_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/ceasefire',
      REDIS_URL: 'redis://127.0.0.1:6379',
      PORT: 3000,
      MIGRATIONS_RUN: true,
      SEAL_INTERVAL_MS: 5000,
      RATE_LIMIT_PER_MINUTE: 1200,
    });
  });

  it('migrates as the role of DATABASE_URL when only DATABASE_URL is set, as before', () => {
    const url = 'postgres://ledger:secret@db.internal:5432/ledger';
    expect(validateConfig({ DATABASE_URL: url }).MIGRATIONS_DATABASE_URL).toBe(url);
    const owner = 'postgres://owner:other@db.internal:5432/ledger';
    expect(validateConfig({ DATABASE_URL: url, MIGRATIONS_DATABASE_URL: owner })).toMatchObject({
      DATABASE_URL: url,
      MIGRATIONS_DATABASE_URL: owner,
    });
  });

  it('reads numbers and switches from their text', () => {
    expect(validateConfig({ PORT: '8080', MIGRATIONS_RUN: 'false' })).toMatchObject({
      PORT: 8080,
      MIGRATIONS_RUN: false,
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x/y'],
    ['REDIS_URL', 'localhost:6379'],
    ['MIGRATIONS_RUN', 'maybe'],
    ['SEAL_INTERVAL_MS', '5'],
    ['LOG_LEVEL', 'loud'],
    ['RATE_LIMIT_PER_MINUTE', '-1'],
    ['METRICS_PORT', '0'],
    ['ADMIN_API_KEY', 'short'],
  ])('stops on a bad %s and names it', (name, value) => {
    expect(() => validateConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => validateConfig({ [name]: value })).toThrow(new RegExp(name));
  });

  it('names every bad variable at once', () => {
    try {
      validateConfig({ PORT: 'x', REDIS_URL: 'nope' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect((err as ConfigError).problems).toHaveLength(2);
    }
  });
});
