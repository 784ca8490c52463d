/**
 * The logger every stage receives: a narrow interface over @actions/core so the core stays testable
 * and the CLI can print plainly.
 */
import * as core from '@actions/core'

export interface Log {
  debug(message: string): void
  info(message: string): void
  notice(message: string): void
  warning(message: string): void
  error(message: string): void
  /** Folds the lines that follow under a title (a stage of the run), until `groupEnd`. */
  group?(title: string): void
  groupEnd?(): void
}

export const actionsLog: Log = {
  debug: (message) => core.debug(message),
  info: (message) => core.info(message),
  notice: (message) => core.notice(message),
  warning: (message) => core.warning(message),
  error: (message) => core.error(message),
  group: (title) => core.startGroup(title),
  groupEnd: () => core.endGroup()
}

/** Actions shows 10 annotations of a step; more only bury the first ones (SPEC 12). */
export const ANNOTATION_LIMIT = 10
/** The log and the job summary list at most this many problems, then a count of the rest. */
export const LISTED_LIMIT = 50

export interface CappedLog extends Log {
  /** Logs how many warnings, errors and notices were not shown; once, at the end of the run. */
  finish(): void
}

/**
 * A Log whose warnings, errors and notices (all annotations in Actions) share the caps: the first
 * ANNOTATION_LIMIT are annotations, the next ones up to LISTED_LIMIT plain log lines, the rest only
 * counted, so 100,000 bad owner lines cost 10 annotations and 50 lines, not 100,000.
 */
export function cappedLog(base: Log): CappedLog {
  let seen = 0
  const annotate =
    (kind: 'warning' | 'error' | 'notice') =>
    (message: string): void => {
      seen++
      if (seen <= ANNOTATION_LIMIT) base[kind](message)
      else if (seen <= LISTED_LIMIT) base.info(`${kind}: ${message}`)
    }
  return {
    debug: (message) => base.debug(message),
    info: (message) => base.info(message),
    notice: annotate('notice'),
    warning: annotate('warning'),
    error: annotate('error'),
    group: (title) => base.group?.(title),
    groupEnd: () => base.groupEnd?.(),
    finish() {
      if (seen > LISTED_LIMIT) {
        base.info(`… and ${seen - LISTED_LIMIT} more warnings and notices not shown (the first ${LISTED_LIMIT} are above)`)
      }
    }
  }
}

/** `items` cut to LISTED_LIMIT, plus how many were left out. */
export function listed<T>(items: readonly T[]): { shown: T[]; more: number } {
  return { shown: items.slice(0, LISTED_LIMIT), more: Math.max(0, items.length - LISTED_LIMIT) }
}

/** Lets a noisy stage say the same thing once. */
export function once(log: (message: string) => void): (message: string) => void {
  const said = new Set<string>()
  return (message) => {
    if (said.has(message)) return
    said.add(message)
    log(message)
  }
}

/** The message of anything thrown, for a log line or an error report. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
