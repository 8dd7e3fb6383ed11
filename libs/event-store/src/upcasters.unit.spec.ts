import { UpcasterRegistry } from './upcasters';

describe('UpcasterRegistry', () => {
  it('applies upcasters in order from the stored version to the newest', () => {
    const r = new UpcasterRegistry()
      .register('E', 1, (d) => ({ ...(d as object), v2: true }))
      .register('E', 2, (d) => ({ ...(d as object), v3: true }));
    expect(r.upcast('E', 1, { a: 1 })).toEqual({
      schemaVersion: 3,
      data: { a: 1, v2: true, v3: true },
    });
    expect(r.upcast('E', 2, { a: 1 })).toEqual({ schemaVersion: 3, data: { a: 1, v3: true } });
    expect(r.upcast('Other', 1, { a: 1 })).toEqual({ schemaVersion: 1, data: { a: 1 } });
  });

  it('refuses two upcasters for the same type and version', () => {
    const r = new UpcasterRegistry().register('E', 1, (d) => d);
    expect(() => r.register('E', 1, (d) => d)).toThrow(/registered already/);
  });
});
