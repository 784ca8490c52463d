/**
 * The one door for names that come from outside (listings, API answers, owner files): a login,
 * repository or package name is checked here before anything stores, fetches or publishes it
 * (SPEC 4.2, 6.4, 12). Pure.
 */
import { isPackageType, type OwnerType, type PackageRef } from './types.js'

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/
// GitHub repository names: letters, digits, `.`, `_`, `-`, at most 100 (`.json` is a valid name).
const REPO = /^[A-Za-z0-9._-]{1,100}$/
// Package names of the five ecosystems: letters, digits, `.`, `_`, `-`, and `/` between parts
// (nested container names). No `~`, `%`, `\`, control character or empty part.
const PACKAGE_PART = /^[A-Za-z0-9._-]+$/
const MAX_PACKAGE_NAME = 200

export function isLogin(value: string): boolean {
  return LOGIN.test(value)
}

export function isRepoName(value: string): boolean {
  return REPO.test(value) && value !== '.' && value !== '..'
}

export function isPackageName(value: string): boolean {
  if (value.length === 0 || value.length > MAX_PACKAGE_NAME) return false
  return value.split('/').every((part) => PACKAGE_PART.test(part) && part !== '.' && part !== '..')
}

/** The fields of a package reference as read from outside, before they are trusted. */
export interface PackageRefInput {
  ownerType: string
  owner: string
  type: string
  name: string
  repo: string | null
}

export type PackageRefResult = { ok: true; ref: PackageRef } | { ok: false; reason: string }

/** Validates every field of a package reference; the reason names the field and the value. */
export function packageRef(input: PackageRefInput): PackageRefResult {
  const show = (value: string): string => JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)
  if (input.ownerType !== 'users' && input.ownerType !== 'orgs') {
    return { ok: false, reason: `owner type ${show(input.ownerType)} is not users or orgs` }
  }
  if (!isLogin(input.owner)) return { ok: false, reason: `owner ${show(input.owner)} is not a valid login` }
  if (!isPackageType(input.type)) return { ok: false, reason: `package type ${show(input.type)} is not known` }
  if (!isPackageName(input.name)) return { ok: false, reason: `package name ${show(input.name)} is not a valid package name` }
  if (input.repo !== null && !isRepoName(input.repo)) {
    return { ok: false, reason: `repository name ${show(input.repo)} is not a valid repository name` }
  }
  const ownerType: OwnerType = input.ownerType
  return { ok: true, ref: { ownerType, owner: input.owner, type: input.type, name: input.name, repo: input.repo } }
}
