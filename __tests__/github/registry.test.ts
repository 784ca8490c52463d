/**
 * Image sizes from the fake registry: an OCI index with an attestation, a single manifest, a private
 * package, unknown references, and the per-repository token cache.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { FakeGitHub } from '../../test-support/fake-github/server.js'
import { imageDigest } from '../../test-support/fake-github/registry.js'
import type { Scenario, ScenarioImage, ScenarioPackage } from '../../test-support/scenario.js'
import { HttpClient } from '../../src/github/http.js'
import { createImageSizer, headlineSize, isAttestation, platformKey } from '../../src/github/registry.js'
import type { ImageSizer } from '../../src/ports.js'

const multiArch: ScenarioImage = {
  platforms: [
    { platform: 'linux/arm64', layers: [1000, 2000] },
    { platform: 'linux/amd64', layers: [3000, 4000, 500] },
    { platform: 'linux/arm/v7', layers: [700] }
  ],
  attestation: true
}
const armOnly: ScenarioImage = {
  platforms: [
    { platform: 'linux/arm64', layers: [10] },
    { platform: 'linux/s390x', layers: [20, 30] }
  ]
}

function container(name: string, versions: { id: number; tags: string[]; image: ScenarioImage }[], isPrivate = false): ScenarioPackage {
  return {
    type: 'container',
    name,
    repo: 'images',
    total: 10,
    daily: [],
    lastPublished: '2026-11-01T10:00:00-08:00',
    private: isPrivate,
    versions: versions.map((v) => ({ ...v, name: imageDigest(v.image, v.id), downloads: 1 }))
  }
}

function scenario(): Scenario {
  return {
    repository: { owner: 'Acme', name: 'backage' },
    owners: [
      {
        login: 'Acme',
        id: 2001,
        type: 'Organization',
        packages: [
          container('web', [{ id: 11, tags: ['latest'], image: multiArch }]),
          container('tools/cli', [{ id: 12, tags: ['v1'], image: { platforms: [{ platform: 'linux/amd64', layers: [111, 222] }] } }]),
          container('arm', [{ id: 13, tags: ['edge'], image: armOnly }]),
          container('secret', [{ id: 14, tags: ['latest'], image: { platforms: [{ platform: 'linux/amd64', layers: [1] }] } }], true)
        ]
      }
    ],
    stargazers: [],
    watchers: [],
    forks: [],
    today: '2026-11-20'
  }
}

let gh: FakeGitHub
let sizer: ImageSizer
beforeAll(async () => {
  gh = await FakeGitHub.start({ scenario: scenario() })
  const http = new HttpClient({ userAgent: 'backage-action/1.0 (+test)', concurrency: 2, pageJitterMs: 0 })
  sizer = createImageSizer(http, gh.registryUrl)
})
afterAll(async () => {
  await gh.stop()
})

describe('image sizes', () => {
  it('sums the layers of each platform of an index and skips the attestations', async () => {
    const size = await sizer.sizeOf('Acme', 'web', 'latest')
    expect(size).toEqual({
      size: 7500, // linux/amd64 is the headline
      platforms: { 'linux/arm64': 3000, 'linux/amd64': 7500, 'linux/arm/v7': 700 }
    })
    // Three platform manifests fetched, none of the three attestation manifests.
    const manifests = gh.requests.filter((entry) => entry.path.startsWith('/registry/v2/acme/web/manifests/'))
    expect(manifests).toHaveLength(4)
    expect(manifests.every((entry) => entry.kind === 'registry' && entry.status === 200)).toBe(true)
  })

  it('takes the first platform as headline without linux/amd64', async () => {
    expect(await sizer.sizeOf('Acme', 'arm', 'edge')).toEqual({ size: 10, platforms: { 'linux/arm64': 10, 'linux/s390x': 50 } })
  })

  it('sizes a single manifest, by tag or by digest, with a nested name', async () => {
    const expected = { size: 333, platforms: {} }
    expect(await sizer.sizeOf('Acme', 'tools/cli', 'v1')).toEqual(expected)
    const digest = imageDigest({ platforms: [{ platform: 'linux/amd64', layers: [111, 222] }] }, 12)
    expect(await sizer.sizeOf('Acme', 'tools/cli', digest)).toEqual(expected)
  })

  it('reports a private package and unknown references', async () => {
    expect(await sizer.sizeOf('Acme', 'secret', 'latest')).toBe('private')
    expect(await sizer.sizeOf('Acme', 'web', 'no-such-tag')).toBeNull()
  })

  it('asks for one token per repository (cached for the run), lower-case', async () => {
    const tokenRequests = gh.requests.filter((entry) => entry.path.startsWith('/registry/token'))
    const scopes = tokenRequests.map((entry) => new URL(entry.path, gh.url).searchParams.get('scope'))
    expect(scopes.sort()).toEqual([
      'repository:acme/arm:pull',
      'repository:acme/secret:pull',
      'repository:acme/tools/cli:pull',
      'repository:acme/web:pull'
    ])
    expect(tokenRequests.every((entry) => new URL(entry.path, gh.url).searchParams.get('service') === 'ghcr.io')).toBe(true)
  })
})

describe('manifest helpers', () => {
  it('recognises attestations by platform or annotation', () => {
    expect(isAttestation({ platform: { os: 'unknown', architecture: 'unknown' } })).toBe(true)
    expect(isAttestation({ platform: { os: 'linux', architecture: 'amd64' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } })).toBe(true)
    expect(isAttestation({ platform: { os: 'linux', architecture: 'amd64' } })).toBe(false)
  })

  it('names platforms with their variant and picks the headline', () => {
    expect(platformKey({ os: 'linux', architecture: 'arm', variant: 'v7' })).toBe('linux/arm/v7')
    expect(platformKey({ os: 'windows', architecture: 'amd64' })).toBe('windows/amd64')
    expect(headlineSize({ 'linux/arm64': 5, 'linux/amd64': 9 })).toBe(9)
    expect(headlineSize({})).toBe(-1)
  })
})
