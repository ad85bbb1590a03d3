/** JSON values as they come out of JSON.parse and go into records. */
export type Json = string | number | boolean | null | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value when it is an object, else an empty one. */
export function objectOrEmpty(value: Json | undefined): JsonObject {
  return isObject(value) ? value : {};
}

/**
 * A new, empty object with no prototype, for every object built from message keys: a key named
 * `__proto__` is then an own property like any other (as JSON.parse makes it), never the
 * object's prototype, and `for…in` sees only what was written.
 */
export function newObject(): JsonObject {
  return Object.create(null) as JsonObject;
}
