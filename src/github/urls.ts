/**
 * Every github.com URL form the scrapers use (SPEC 5.1), in one place. Pure: the server base URL is
 * always an argument (GITHUB_SERVER_URL at run time, a fake server in tests), never hard-coded.
 * Passing `''` as serverUrl yields root-relative paths (`/orgs/...`), as GitHub's own links are.
 */
import { isPackageType, type OwnerType, type PackageRef, type PackageType } from '../types.js'

/**
 * A package name as it appears in URLs. GitHub writes a `/` inside a name as `%2F`
 * (`tools/cli` → `tools%2Fcli`); we use `encodeURIComponent`, which does that and leaves the
 * characters package names are made of (letters, digits, `-`, `_`, `.`) untouched.
 */
export function packageUrlName(name: string): string {
  return encodeURIComponent(name)
}

function base(serverUrl: string): string {
  return serverUrl.replace(/\/+$/, '')
}

function ownerPackagesPath(ref: Pick<PackageRef, 'ownerType' | 'owner' | 'type'>): string {
  return `/${ref.ownerType}/${encodeURIComponent(ref.owner)}/packages/${ref.type}`
}

/** The owner's public package listing, page N (1-based): the org and the user forms differ. */
export function ownerListingUrl(serverUrl: string, ownerType: OwnerType, owner: string, page: number): string {
  const login = encodeURIComponent(owner)
  return ownerType === 'orgs'
    ? `${base(serverUrl)}/orgs/${login}/packages?visibility=public&page=${page}`
    : `${base(serverUrl)}/${login}?tab=packages&visibility=public&page=${page}`
}

/** The package page, owner form: `/{users|orgs}/OWNER/packages/TYPE/package/PKG`. */
export function packagePageUrl(serverUrl: string, ref: PackageRef): string {
  return `${base(serverUrl)}/${ref.ownerType}/${encodeURIComponent(ref.owner)}/packages/${ref.type}/package/${packageUrlName(ref.name)}`
}

/** Versions list, page N; `tagged` adds the tagged-only filter. */
export function versionsUrl(serverUrl: string, ref: PackageRef, options: { page: number; tagged?: boolean }): string {
  const filter = options.tagged ? 'filters%5Bversion_type%5D=tagged&' : ''
  return `${base(serverUrl)}${ownerPackagesPath(ref)}/${packageUrlName(ref.name)}/versions?${filter}page=${options.page}`
}

/** One version's page: `/{users|orgs}/OWNER/packages/TYPE/PKG/VERSION_ID`. */
export function versionUrl(serverUrl: string, ref: PackageRef, id: number): string {
  return `${base(serverUrl)}${ownerPackagesPath(ref)}/${packageUrlName(ref.name)}/${id}`
}

/** What a package-page link (`/{users|orgs}/OWNER/packages/TYPE/package/PKG`) names. */
export interface PackageLink {
  ownerType: OwnerType
  owner: string
  /** The TYPE segment as written; check it with `isPackageType`. */
  type: string
  /** Decoded name (`%2F` → `/`). */
  name: string
}

const PACKAGE_LINK = /^\/(users|orgs)\/([^/]+)\/packages\/([^/]+)\/package\/([^/]+)\/?$/

/** Reads a package-page path (no query), or null when the path has another shape. */
export function parsePackageLinkPath(pathname: string): PackageLink | null {
  const m = PACKAGE_LINK.exec(pathname)
  if (!m || !m[1] || !m[2] || !m[3] || !m[4]) return null
  try {
    return {
      ownerType: m[1] as OwnerType,
      owner: decodeURIComponent(m[2]),
      type: m[3],
      name: decodeURIComponent(m[4])
    }
  } catch {
    return null // malformed %-escape: not a link we understand
  }
}

// A version link: owner form `/{users|orgs}/OWNER/packages/TYPE/PKG/ID` or repo form
// `/OWNER/REPO/pkgs/TYPE/PKG/ID` (PKG never holds a raw `/`, it is `%2F`).
const VERSION_LINK = /^\/(?:(?:users|orgs)\/[^/]+\/packages|[^/]+\/[^/]+\/pkgs)\/([^/]+)\/[^/]+\/(\d+)\/?$/

/** The version id of a version link path, or null when the path has another shape. */
export function parseVersionLinkPath(pathname: string): { type: PackageType; id: number } | null {
  const m = VERSION_LINK.exec(pathname)
  if (!m || !m[1] || !m[2] || !isPackageType(m[1])) return null
  return { type: m[1], id: Number(m[2]) }
}
