// Stored history is never rewritten: when an event's shape changes, register a pure function
// from schema version n to n+1, applied on read until no upcaster is left.

export type Upcaster = (data: unknown) => unknown;

export class UpcasterRegistry {
  private readonly byType = new Map<string, Map<number, Upcaster>>();

  register(type: string, fromSchemaVersion: number, upcast: Upcaster): this {
    const versions = this.byType.get(type) ?? new Map<number, Upcaster>();
    if (versions.has(fromSchemaVersion)) {
      throw new Error(`an upcaster for ${type} v${fromSchemaVersion} is registered already`);
    }
    versions.set(fromSchemaVersion, upcast);
    this.byType.set(type, versions);
    return this;
  }

  /** The newest shape of an event's data and the schema version it now has. */
  upcast(
    type: string,
    schemaVersion: number,
    data: unknown,
  ): { schemaVersion: number; data: unknown } {
    const versions = this.byType.get(type);
    if (!versions) return { schemaVersion, data };
    let version = schemaVersion;
    let current = data;
    for (let up = versions.get(version); up; up = versions.get(version)) {
      current = up(current);
      version += 1;
    }
    return { schemaVersion: version, data: current };
  }
}
