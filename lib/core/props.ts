/**
 * Type checks of props, for users who write plain JavaScript or run ts-node with `--transpile-only`:
 * a wrong type is refused with the construct and the prop named, never with a TypeError from inside
 * the library. Every check returns the value, typed, so constructors read `const x = checkX(...)`.
 */

import leven = require('leven');

/** A short description of `value` for error messages: what the user actually passed. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) {
    return String(value);
  }
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${typeof value} ${String(value)}`;
  }
  if (typeof value === 'function') {
    return 'a function';
  }
  if (Array.isArray(value)) {
    return `an array of ${value.length}`;
  }
  const construct = value as { node?: { id?: unknown }; constructor?: { name?: string } };
  const className = construct.constructor?.name && construct.constructor.name !== 'Object' ? construct.constructor.name : undefined;
  if (construct.node && typeof construct.node.id === 'string') {
    return `${className ?? 'construct'} ${construct.node.id}`;
  }
  return className ? `a ${className}` : 'an object';
}

/**
 * The props object of a construct. Missing props are refused when `required` names any, and a
 * value that is not an object always is.
 */
export function checkProps<T extends object>(owner: string, props: T | undefined, required: string[] = []): T {
  if (props === undefined || props === null) {
    if (required.length > 0) {
      throw new Error(`${owner}: props are missing. Pass an object with at least ${required.join(', ')}.`);
    }
    return {} as T;
  }
  if (typeof props !== 'object' || Array.isArray(props)) {
    throw new Error(`${owner}: props must be an object, got ${describeValue(props)}. Pass them as { ... }.`);
  }
  for (const prop of required) {
    if ((props as Record<string, unknown>)[prop] === undefined) {
      throw new Error(`${owner}: ${prop} is required but missing. Give it in the props.`);
    }
  }
  return props;
}

/**
 * Throws when `props` holds a prop that `known` does not list. From plain JavaScript a misspelt prop
 * (`consenter: 5`) would otherwise be ignored and its default used; the message names the nearest
 * known prop. Constructs call it only when built directly, so a subclass may take props of its own.
 */
export function rejectUnknownProps(owner: string, props: object, known: Record<string, true>): void {
  const names = Object.keys(known);
  for (const prop of Object.keys(props)) {
    if (!Object.prototype.hasOwnProperty.call(known, prop)) {
      const near = nearestName(prop, names);
      throw new Error(`${owner}: unknown prop "${prop}"${near ? ` (did you mean "${near}"?)` : ''}. Its props are ${names.join(', ')}.`);
    }
  }
}

/**
 * The name in `names` the user most likely meant by `name`: the closest by edit distance when at
 * most a third of it differs, else one that begins with it (`adminSecret` for `adminSecretName`).
 */
function nearestName(name: string, names: string[]): string | undefined {
  const lower = name.toLowerCase();
  const [best] = names.map((candidate) => ({ candidate, distance: leven(lower, candidate.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance);
  if (best && best.distance <= Math.max(1, Math.floor(name.length / 3))) {
    return best.candidate;
  }
  return names.find((candidate) => candidate.toLowerCase().startsWith(lower));
}

/** A string prop, when given. */
export function optionalString(owner: string, prop: string, value: unknown, example: string): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  return requireString(owner, prop, value, example);
}

/** A required string prop. */
export function requireString(owner: string, prop: string, value: unknown, example: string): string {
  if (typeof value !== 'string') {
    throw new Error(`${owner}: ${prop} must be a string, got ${describeValue(value)}. Write it like ${JSON.stringify(example)}.`);
  }
  return value;
}

/** A boolean prop, when given. */
export function optionalBoolean(owner: string, prop: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new Error(`${owner}: ${prop} must be true or false, got ${describeValue(value)}.`);
  }
  return value;
}

/** A whole number prop of at least `min` (and at most `max`), when given. */
export function optionalInteger(owner: string, prop: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  return requireInteger(owner, prop, value, min, max);
}

/** A required whole number prop of at least `min` (and at most `max`). */
export function requireInteger(owner: string, prop: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new Error(`${owner}: ${prop} must be a whole number ${range}, got ${describeValue(value)}.`);
  }
  return value;
}

/** An array prop, when given; each element is checked by `element` with its index. */
export function optionalArray<T>(owner: string, prop: string, value: unknown, element: (item: unknown, path: string) => T): T[] | undefined {
  if (value === undefined) {
    return undefined;
  }
  return requireArray(owner, prop, value, element);
}

/** A required array prop; each element is checked by `element` with its index. */
export function requireArray<T>(owner: string, prop: string, value: unknown, element: (item: unknown, path: string) => T): T[] {
  if (!Array.isArray(value)) {
    throw new Error(`${owner}: ${prop} must be an array, got ${describeValue(value)}. Write it as [ ... ].`);
  }
  return value.map((item, index) => element(item, `${prop}[${index}]`));
}

/** A plain object prop (a record), when given. */
export function optionalRecord(owner: string, prop: string, value: unknown): Record<string, unknown> | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${owner}: ${prop} must be an object, got ${describeValue(value)}. Write it as { ... }.`);
  }
  return value as Record<string, unknown>;
}

/** Whether `value` has every one of `members` as a property (of any value but undefined). */
export function hasMembers(value: unknown, ...members: string[]): boolean {
  return typeof value === 'object' && value !== null && members.every((member) => (value as Record<string, unknown>)[member] !== undefined);
}

/** A value of one of the string enum's `values`. */
export function requireEnum<T extends string>(owner: string, prop: string, value: unknown, values: Record<string, T>, enumName: string): T {
  const allowed = Object.values(values);
  if (!allowed.includes(value as T)) {
    const names = Object.keys(values).map((key) => `${enumName}.${key}`).join(', ');
    throw new Error(`${owner}: ${prop} is ${describeValue(value)}, which is not one of ${names}. Use one of those.`);
  }
  return value as T;
}
