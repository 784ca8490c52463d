/**
 * Opt-out (SPEC 4.2): the named owner, repository or package leaves the database with its whole
 * history. Names compare case-insensitively; a repository matches the published folder (a package
 * without a repository is its own folder), and a package name may be given in its URL form (`%2F`).
 */
import type { OptOutRule } from '../types.js'
import { int, type Sql } from './sql.js'
import { recordDeletion } from './api-history.js'

export type { OptOutRule }

/** Deletes what the rules name; returns how many packages were removed. */
export function deleteOptedOut(sql: Sql, rules: readonly OptOutRule[]): number {
  let removed = 0
  for (const rule of rules) {
    const pkgs = matchingPackages(sql, rule)
    for (const pkg of pkgs) deletePackage(sql, pkg)
    removed += pkgs.length
    if (rule.repo === undefined) {
      sql.stmt('DELETE FROM owner_edges WHERE login = ?').run(rule.owner)
      sql.stmt('DELETE FROM owners WHERE login = ?').run(rule.owner)
    }
  }
  return removed
}

function matchingPackages(sql: Sql, rule: OptOutRule): number[] {
  if (rule.repo === undefined) {
    return sql.stmt('SELECT pkg FROM packages WHERE owner = ?').all(rule.owner).map((row) => int(row, 'pkg'))
  }
  const folder = `lower(coalesce(repo, name)) = lower(?)`
  if (rule.package === undefined) {
    return sql
      .stmt(`SELECT pkg FROM packages WHERE owner = ? AND ${folder}`)
      .all(rule.owner, rule.repo)
      .map((row) => int(row, 'pkg'))
  }
  return sql
    .stmt(`SELECT pkg FROM packages WHERE owner = ? AND ${folder} AND lower(name) IN (lower(?), lower(?))`)
    .all(rule.owner, rule.repo, rule.package, decodeName(rule.package))
    .map((row) => int(row, 'pkg'))
}

/**
 * Every table holding rows of one package, keyed by its `pkg` (the package row itself apart). A
 * migration that adds such a table adds it here, so that deleting a package or merging a ghost
 * duplicate into it (package-refresh.ts) moves or removes its rows too.
 */
export const PACKAGE_ROW_TABLES = ['version_days', 'versions', 'package_days', 'package_chart'] as const

export function deletePackage(sql: Sql, pkg: number): void {
  recordDeletion(sql, pkg) // SPEC 10.2: changes.json tells consumers it is gone
  for (const table of PACKAGE_ROW_TABLES) sql.stmt(`DELETE FROM ${table} WHERE pkg = ?`).run(pkg)
  sql.stmt('DELETE FROM packages WHERE pkg = ?').run(pkg)
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name)
  } catch {
    return name
  }
}
