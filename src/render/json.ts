/** JSON files of the index (SPEC 6.2): compact, UTF-8, one trailing newline. */

/** A whole JSON file for one value. */
export function renderJson(value: unknown): string {
  return `${JSON.stringify(value)}\n`
}

/**
 * A JSON array file from items already serialised with `JSON.stringify` (each package is
 * serialised once and reused by its package, repo and owner files). Same bytes as `renderJson(items)`.
 */
export function renderJsonArrayOf(serialisedItems: readonly string[]): string {
  return `[${serialisedItems.join(',')}]\n`
}
