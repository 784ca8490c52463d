/**
 * Container image sizes from the registry (SPEC 5.4): an anonymous pull token per repository, the
 * manifest for the version, and for a multi-platform index each platform's manifest. An image's size
 * is the sum of its compressed layers (what a pull downloads); the config blob is not counted.
 */
import type { Http, HttpResponse, ImageSizer } from '../ports.js'
import type { ImageSize } from '../types.js'

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json'
].join(', ')

interface Platform {
  os?: string
  architecture?: string
  variant?: string
}

interface IndexEntry {
  digest?: string
  mediaType?: string
  platform?: Platform
  annotations?: Record<string, string>
}

interface ManifestJson {
  manifests?: IndexEntry[]
  layers?: { size?: number }[]
}

/** Attestation manifests sit in the index as `unknown/unknown` entries; they are not images. */
export function isAttestation(entry: IndexEntry): boolean {
  return (
    entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' ||
    (entry.platform?.os === 'unknown' && entry.platform.architecture === 'unknown')
  )
}

/** `os/arch`, plus `/variant` when there is one (`linux/arm/v7`). */
export function platformKey(platform: Platform | undefined): string {
  const key = `${platform?.os ?? 'unknown'}/${platform?.architecture ?? 'unknown'}`
  return platform?.variant ? `${key}/${platform.variant}` : key
}

/** Sum of the layer sizes; null when the manifest lists no sized layers. */
export function layerSize(manifest: ManifestJson): number | null {
  if (!Array.isArray(manifest.layers)) return null
  let total = 0
  for (const layer of manifest.layers) {
    if (typeof layer.size !== 'number') return null
    total += layer.size
  }
  return total
}

/** Headline size: `linux/amd64` when present, else the first platform. */
export function headlineSize(platforms: Record<string, number>): number {
  const amd64 = platforms['linux/amd64']
  if (amd64 !== undefined) return amd64
  const first = Object.values(platforms)[0]
  return first ?? -1
}

function pathOf(name: string): string {
  return name
    .toLowerCase()
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/')
}

/** Tags and digests travel as they are (`sha256:...` keeps its colon); anything odd is encoded. */
function referenceOf(reference: string): string {
  return /^[A-Za-z0-9_.:-]+$/.test(reference) ? reference : encodeURIComponent(reference)
}

export function createImageSizer(http: Http, registryUrl: string): ImageSizer {
  const base = registryUrl.replace(/\/+$/, '')
  // One anonymous token per repository for the whole run (ghcr.io tokens outlive a run's needs).
  const tokens = new Map<string, Promise<string | 'private'>>()

  async function fetchToken(repository: string, signal?: AbortSignal): Promise<string | 'private'> {
    const url = `${base}/token?scope=repository:${repository}:pull&service=ghcr.io`
    const response = await http.request({ url, kind: 'registry', signal })
    if (response.status === 401 || response.status === 403) return 'private'
    if (response.status !== 200) throw new Error(`registry token for ${repository}: HTTP ${response.status}`)
    const parsed = JSON.parse(response.text()) as { token?: string; access_token?: string }
    const token = parsed.token ?? parsed.access_token
    if (!token) throw new Error(`registry token for ${repository}: no token in the answer`)
    return token
  }

  function tokenFor(repository: string, signal?: AbortSignal): Promise<string | 'private'> {
    let token = tokens.get(repository)
    if (!token) {
      token = fetchToken(repository, signal)
      tokens.set(repository, token)
      // A failed attempt (network, abort) must not poison the cache for later versions.
      token.catch(() => tokens.delete(repository))
    }
    return token
  }

  function manifest(repository: string, reference: string, token: string, signal?: AbortSignal): Promise<HttpResponse> {
    return http.request({
      url: `${base}/v2/${repository}/manifests/${referenceOf(reference)}`,
      kind: 'registry',
      headers: { accept: MANIFEST_TYPES, authorization: `Bearer ${token}` },
      signal
    })
  }

  function parsed(response: HttpResponse, what: string): ManifestJson {
    if (response.status !== 200) throw new Error(`registry manifest ${what}: HTTP ${response.status}`)
    return JSON.parse(response.text()) as ManifestJson
  }

  return {
    async sizeOf(owner, name, reference, signal) {
      const repository = `${pathOf(owner)}/${pathOf(name)}`
      const token = await tokenFor(repository, signal)
      if (token === 'private') return 'private'
      const top = await manifest(repository, reference, token, signal)
      if (top.status === 404) return null
      if (top.status === 401 || top.status === 403) return 'private'
      const root = parsed(top, `${repository}:${reference}`)

      if (!Array.isArray(root.manifests)) {
        // A single-platform image: its platform lives in the config blob, which costs another request.
        const size = layerSize(root)
        return size === null ? null : ({ size, platforms: {} } satisfies ImageSize)
      }

      const platforms: Record<string, number> = {}
      for (const entry of root.manifests) {
        if (isAttestation(entry) || !entry.digest) continue
        const child = await manifest(repository, entry.digest, token, signal)
        if (child.status === 404) continue
        const size = layerSize(parsed(child, `${repository}@${entry.digest}`))
        if (size !== null) platforms[platformKey(entry.platform)] ??= size
      }
      if (Object.keys(platforms).length === 0) return null
      return { size: headlineSize(platforms), platforms }
    }
  }
}
