/**
 * Canonical JSON for world state: object keys sorted at every depth, no whitespace.
 * Every endorsing peer must write byte-identical values, or endorsements will not match.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value));
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortDeep);
  }
  if (value !== null && typeof value === 'object') {
    const input = value as Record<string, unknown>;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(input).sort()) {
      if (input[key] !== undefined) {
        sorted[key] = sortDeep(input[key]);
      }
    }
    return sorted;
  }
  return value;
}
