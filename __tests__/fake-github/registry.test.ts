import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import type { FakeGitHub } from '../../test-support/fake-github/server.js'
import { startSample } from './helpers.js'

const ALL_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json'
].join(', ')

interface Descriptor {
  mediaType: string
  digest: string
  size: number
  platform?: { os: string; architecture: string; variant?: string }
  annotations?: Record<string, string>
}

interface Manifest {
  mediaType: string
  manifests?: Descriptor[]
  config?: Descriptor
  layers?: Descriptor[]
}

describe('fake GitHub container registry', () => {
  let gh: FakeGitHub
  beforeAll(async () => {
    gh = await startSample()
  })
  afterAll(async () => {
    await gh.stop()
  })

  async function token(name: string): Promise<Response> {
    return fetch(`${gh.registryUrl}/token?scope=repository:${name}:pull&service=ghcr.io`)
  }

  async function manifest(name: string, reference: string, accept = ALL_TYPES): Promise<{ response: Response; bytes: Buffer }> {
    const { token: bearer } = (await (await token(name)).json()) as { token: string }
    const response = await fetch(`${gh.registryUrl}/v2/${name}/manifests/${reference}`, {
      headers: { authorization: `Bearer ${bearer}`, accept }
    })
    return { response, bytes: Buffer.from(await response.arrayBuffer()) }
  }

  const layerSum = (platform: string, versionIndex = -1): number => {
    const pkg = gh.scenario.owners.find((o) => o.login === 'acme-labs')?.packages.find((p) => p.name === 'server')
    const version = pkg?.versions.at(versionIndex)
    return version?.image?.platforms.find((p) => p.platform === platform)?.layers.reduce((a, b) => a + b, 0) ?? -1
  }

  it('serves a multi-platform image as an OCI index whose platform manifests carry the layer sizes', async () => {
    const { response, bytes } = await manifest('acme-labs/server', 'latest')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/vnd.oci.image.index.v1+json')
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`
    expect(response.headers.get('docker-content-digest')).toBe(digest)
    // The versions list shows this digest as the version's name.
    const server = gh.scenario.owners.find((o) => o.login === 'acme-labs')?.packages.find((p) => p.name === 'server')
    expect(server?.versions.at(-1)?.name).toBe(digest)

    const index = JSON.parse(bytes.toString('utf8')) as Manifest
    const platforms = index.manifests?.map((m) => `${m.platform?.os}/${m.platform?.architecture}`)
    expect(platforms).toEqual(['linux/amd64', 'linux/arm64', 'unknown/unknown', 'unknown/unknown'])
    const attestation = index.manifests?.[2]
    expect(attestation?.annotations?.['vnd.docker.reference.type']).toBe('attestation-manifest')

    for (const entry of index.manifests?.slice(0, 2) ?? []) {
      const child = await manifest('acme-labs/server', entry.digest)
      expect(child.response.status).toBe(200)
      expect(child.response.headers.get('docker-content-digest')).toBe(entry.digest)
      expect(child.bytes.length).toBe(entry.size)
      const platformManifest = JSON.parse(child.bytes.toString('utf8')) as Manifest
      expect(platformManifest.config?.mediaType).toBe('application/vnd.oci.image.config.v1+json')
      const size = platformManifest.layers?.reduce((sum, layer) => sum + layer.size, 0)
      expect(size).toBe(layerSum(`${entry.platform?.os}/${entry.platform?.architecture}`))
    }
  })

  it('serves a single-platform image as a Docker v2 manifest, by tag or by digest', async () => {
    const byTag = await manifest('acme-labs/tools/cli', 'latest')
    expect(byTag.response.status).toBe(200)
    const body = JSON.parse(byTag.bytes.toString('utf8')) as Manifest
    expect(body.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json')
    expect(body.layers?.length).toBeGreaterThan(0)
    const digest = byTag.response.headers.get('docker-content-digest') ?? ''
    const byDigest = await manifest('acme-labs/tools/cli', digest)
    expect(byDigest.bytes.equals(byTag.bytes)).toBe(true)
    // A client accepting only OCI types cannot read a Docker manifest.
    const ociOnly = await manifest('acme-labs/tools/cli', 'latest', 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json')
    expect(ociOnly.response.status).toBe(404)
  })

  it('refuses a token for a private package and manifests without the token', async () => {
    expect((await token('acme-labs/internal-db')).status).toBe(401)
    expect((await token('acme-labs/server')).status).toBe(200)
    const anonymous = await fetch(`${gh.registryUrl}/v2/acme-labs/server/manifests/latest`, { headers: { accept: ALL_TYPES } })
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('www-authenticate')).toContain(`realm="${gh.registryUrl}/token"`)
    expect(gh.requests.at(-1)?.kind).toBe('registry')
  })

  it('answers 404 for unknown tags, digests and names', async () => {
    expect((await manifest('acme-labs/server', 'no-such-tag')).response.status).toBe(404)
    expect((await manifest('acme-labs/server', `sha256:${'0'.repeat(64)}`)).response.status).toBe(404)
    expect((await manifest('acme-labs/nothing', 'latest')).response.status).toBe(404)
    expect((await manifest('acme-labs/widgets', 'latest')).response.status).toBe(404) // an npm package
  })
})
