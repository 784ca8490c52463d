/**
 * What the parser tests share: the hand-made pages of `__fixtures__/pages`, the base URL they are
 * read under, and catching the `NotUnderstood` a page must raise.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { NotUnderstood } from '../../src/types.js'

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '__fixtures__', 'pages')

/** A hand-made page of `__fixtures__/pages`. */
export const read = (file: string): string => readFileSync(path.join(dir, file), 'utf8')

export const URL_BASE = 'http://127.0.0.1:9/'

/** The `NotUnderstood` that `run` throws; fails the test when it throws nothing or something else. */
export function notUnderstood(run: () => unknown): NotUnderstood {
  try {
    run()
  } catch (error) {
    if (error instanceof NotUnderstood) return error
    throw error
  }
  throw new Error('expected NotUnderstood')
}
