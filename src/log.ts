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
