/**
 * The container registry (SPEC 5.4): anonymous pull tokens and manifests. A multi-platform image is
 * stored as an OCI index of OCI manifests (plus buildx-style attestation manifests); a single-platform
 * image as a Docker v2 manifest, so a client must send all four manifest media types to read both.
 */
import { createHash } from 'node:crypto'
import type { Scenario, ScenarioImage, ScenarioPackage, ScenarioVersion } from '../scenario.js'
import { header, jsonReply, rawSegments, sameLogin, type BaseUrls, type FakeRequest, type Reply } from './exchange.js'

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json'
} as const

export interface StoredManifest {
  mediaType: string
  bytes: Buffer
  /** `sha256:` of the exact bytes served. */
  digest: string
}

export interface ImageManifests {
  /** What a tag or the version digest resolves to: the index, or the single manifest. */
  top: StoredManifest
  /** Platform and attestation manifests of an index (empty for a single manifest). */
  children: StoredManifest[]
}

/** The manifests of one image; `seed` (the version id) makes layer digests distinct per version. */
export function imageManifests(image: ScenarioImage, seed: number): ImageManifests {
  const multi = image.platforms.length > 1
  const platforms = image.platforms.map((p) => stored(platformManifest(p.platform, p.layers, seed, multi)))
  if (!multi) {
    const only = platforms[0]
    if (!only) throw new Error('a ScenarioImage needs at least one platform')
    return { top: only, children: [] }
  }
  const attestations = image.attestation
    ? platforms.map((_, index) => stored(attestationManifest(seed, index)))
    : []
  const entries = [
    ...image.platforms.map((p, index) => {
      const manifest = platforms[index] as StoredManifest
      return { mediaType: MEDIA.ociManifest, digest: manifest.digest, size: manifest.bytes.length, platform: platformObject(p.platform) }
    }),
    ...attestations.map((manifest, index) => ({
      mediaType: MEDIA.ociManifest,
      digest: manifest.digest,
      size: manifest.bytes.length,
      annotations: {
        'vnd.docker.reference.digest': platforms[index]?.digest ?? '',
        'vnd.docker.reference.type': 'attestation-manifest'
      },
      platform: { architecture: 'unknown', os: 'unknown' }
    }))
  ]
  const index = { schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: entries }
  return { top: stored(index), children: [...platforms, ...attestations] }
}

/** The digest a tag of this image resolves to (what the versions page shows for a container). */
export function imageDigest(image: ScenarioImage, seed: number): string {
  return imageManifests(image, seed).top.digest
}

function stored(manifest: { mediaType: string }): StoredManifest {
  const bytes = Buffer.from(JSON.stringify(manifest, null, 2))
  return { mediaType: manifest.mediaType, bytes, digest: sha256(bytes) }
}

function platformManifest(platform: string, layers: number[], seed: number, oci: boolean) {
  const { os, architecture, variant } = platformObject(platform)
  const config = Buffer.from(JSON.stringify({ architecture, os, ...(variant ? { variant } : {}), rootfs: { type: 'layers' }, seed }))
  return {
    schemaVersion: 2,
    mediaType: oci ? MEDIA.ociManifest : MEDIA.dockerManifest,
    config: {
      mediaType: oci ? 'application/vnd.oci.image.config.v1+json' : 'application/vnd.docker.container.image.v1+json',
      digest: sha256(config),
      size: config.length
    },
    layers: layers.map((size, index) => ({
      mediaType: oci ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.docker.image.rootfs.diff.tar.gzip',
      digest: sha256(`${seed}/${platform}/${index}`),
      size
    }))
  }
}

function attestationManifest(seed: number, index: number) {
  return {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(`config/${seed}/${index}`), size: 167 },
    layers: [
      {
        mediaType: 'application/vnd.in-toto+json',
        digest: sha256(`provenance/${seed}/${index}`),
        size: 2931,
        annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' }
      }
    ]
  }
}

function platformObject(platform: string): { os: string; architecture: string; variant?: string } {
  const [os = 'linux', architecture = 'amd64', variant] = platform.split('/')
  return variant ? { architecture, os, variant } : { architecture, os }
}

function sha256(data: string | Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`
}

/** `/registry/token` and `/registry/v2/{name}/manifests/{ref}`; null for other paths. */
export function registryRoute(request: FakeRequest, scenario: Scenario, urls: BaseUrls): Reply | null {
  const segments = rawSegments(request.url.pathname).slice(1) // drop "registry"
  if (request.method !== 'GET' && request.method !== 'HEAD') return null
  if (segments.length === 1 && segments[0] === 'token') return tokenRoute(request, scenario)
  if (segments[0] === 'v2' && segments.length === 1) return jsonReply(200, {})
  if (segments[0] !== 'v2' || segments.length < 5 || segments.at(-2) !== 'manifests') return null
  const name = segments.slice(1, -2).join('/')
  const reference = decodeURIComponent(segments.at(-1) ?? '')
  return manifestRoute(request, scenario, urls, name, reference)
}

function tokenRoute(request: FakeRequest, scenario: Scenario): Reply {
  const scope = request.url.searchParams.get('scope') ?? ''
  const match = /^repository:([^:]+):pull$/.exec(scope)
  if (!match?.[1]) return registryError(400, 'DENIED', 'invalid scope')
  const found = findContainer(scenario, match[1])
  if (found?.pkg.private) return registryError(401, 'UNAUTHORIZED', 'authentication required')
  return jsonReply(200, { token: tokenFor(match[1]) })
}

function manifestRoute(request: FakeRequest, scenario: Scenario, urls: BaseUrls, name: string, reference: string): Reply {
  const authorization = header(request, 'authorization') ?? ''
  if (authorization !== `Bearer ${tokenFor(name)}`) {
    const reply = registryError(401, 'UNAUTHORIZED', 'authentication required')
    reply.headers['www-authenticate'] = `Bearer realm="${urls.registryUrl}/token",service="ghcr.io",scope="repository:${name}:pull"`
    return reply
  }
  const found = findContainer(scenario, name)
  if (!found || found.pkg.private) return registryError(404, 'NAME_UNKNOWN', 'repository name not known to registry')
  const manifest = resolve(found.pkg, reference)
  if (!manifest) return registryError(404, 'MANIFEST_UNKNOWN', 'manifest unknown')
  const accepted = (header(request, 'accept') ?? '')
    .split(',')
    .map((type) => type.split(';')[0]?.trim() ?? '')
    .filter((type) => type !== '')
  if (accepted.length > 0 && !accepted.includes('*/*') && !accepted.includes(manifest.mediaType)) {
    return registryError(404, 'MANIFEST_UNKNOWN', `manifest unknown: stored as ${manifest.mediaType}, not in the Accept list`)
  }
  return {
    status: 200,
    headers: {
      'content-type': manifest.mediaType,
      'docker-content-digest': manifest.digest,
      'docker-distribution-api-version': 'registry/2.0'
    },
    body: request.method === 'HEAD' ? '' : manifest.bytes
  }
}

/** A tag, the version's own digest (its `name`), the computed index digest, or a child manifest's digest. */
function resolve(pkg: ScenarioPackage, reference: string): StoredManifest | undefined {
  const imaged = pkg.versions.filter((v): v is ScenarioVersion & { image: ScenarioImage } => v.image !== undefined)
  if (!reference.startsWith('sha256:')) {
    const version = imaged.find((v) => v.tags.includes(reference))
    return version ? imageManifests(version.image, version.id).top : undefined
  }
  const named = imaged.find((v) => v.name === reference)
  if (named) return imageManifests(named.image, named.id).top
  for (const version of imaged) {
    const manifests = imageManifests(version.image, version.id)
    if (manifests.top.digest === reference) return manifests.top
    const child = manifests.children.find((m) => m.digest === reference)
    if (child) return child
  }
  return undefined
}

/** Registry names are lower-case `owner/package` (the package part may hold `/`). */
function findContainer(scenario: Scenario, name: string): { pkg: ScenarioPackage } | undefined {
  if (name !== name.toLowerCase()) return undefined
  const slash = name.indexOf('/')
  if (slash < 0) return undefined
  const owner = scenario.owners.find((o) => sameLogin(o.login, name.slice(0, slash)))
  const pkg = owner?.packages.find((p) => p.type === 'container' && p.name.toLowerCase() === name.slice(slash + 1))
  return pkg ? { pkg } : undefined
}

function tokenFor(name: string): string {
  return Buffer.from(`fake-anonymous:${name}`).toString('base64')
}

function registryError(status: number, code: string, message: string): Reply {
  return jsonReply(status, { errors: [{ code, message }] })
}
