/**
 * The embedded sample world of `npm run demo` and the synthetic worlds of `npm run bench`. Fully
 * deterministic: every number comes from a small seeded generator, so runs and snapshots repeat.
 */
import { createHash } from 'node:crypto'
import { PACKAGE_TYPES, type DailyCount, type PackageType } from '../src/types.js'
import { fnv1a } from './fake-github/exchange.js'
import { imageDigest } from './fake-github/registry.js'
import type { Scenario, ScenarioImage, ScenarioOwner, ScenarioPackage, ScenarioVersion } from './scenario.js'

const SAMPLE_TODAY = '2026-11-20'

/** mulberry32: a tiny seeded PRNG in [0, 1) (also the benchmark's). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function between(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1))
}

/** The 30 UTC days ending with `today`, oldest first. */
export function last30Days(today: string): string[] {
  const end = Date.parse(`${today}T00:00:00Z`)
  return Array.from({ length: 30 }, (_, i) => new Date(end - (29 - i) * 86_400_000).toISOString().slice(0, 10))
}

interface PackageSpec {
  type: PackageType
  name: string
  repo: string | null
  versions: number
  /** Typical downloads per version. */
  popularity: number
  /** Containers: every n-th version carries a semver tag (the newest also `latest`). */
  tagEvery?: number
  /** Containers: the image platforms of every version. */
  platforms?: string[]
  attestation?: boolean
  private?: boolean
}

interface Builder {
  today: string
  days: string[]
  nextVersionId: () => number
  /** Container version names: the real index/manifest digest (sample) or a cheap stand-in (bench). */
  digestOf: (image: ScenarioImage, id: number) => string
}

function buildPackage(owner: string, spec: PackageSpec, builder: Builder): ScenarioPackage {
  const random = seededRandom(fnv1a(`${owner}/${spec.type}/${spec.name}`))
  const versions: ScenarioVersion[] = []
  for (let i = 0; i < spec.versions; i++) {
    const id = builder.nextVersionId()
    const newest = i === spec.versions - 1
    const semver = `${1 + Math.floor(i / 100)}.${Math.floor(i / 10) % 10}.${i % 10}`
    // Newer versions are downloaded more, like real packages.
    const downloads = Math.floor(random() * spec.popularity * (0.2 + (1.6 * (i + 1)) / spec.versions))
    if (spec.type === 'container') {
      const image: ScenarioImage = {
        platforms: (spec.platforms ?? ['linux/amd64']).map((platform) => ({
          platform,
          layers: Array.from({ length: between(random, 2, 6) }, () => between(random, 30_000, 40_000_000))
        })),
        ...(spec.attestation ? { attestation: true } : {})
      }
      const tagged = newest || (spec.tagEvery !== undefined && (spec.versions - 1 - i) % spec.tagEvery === 0)
      const tags = newest ? ['latest', semver] : tagged ? [semver] : []
      versions.push({ id, name: builder.digestOf(image, id), tags, downloads, image })
    } else {
      versions.push({ id, name: semver, tags: spec.type === 'npm' && newest ? ['latest'] : [], downloads })
    }
  }
  const total = versions.reduce((sum, v) => sum + v.downloads, 0)
  // About an eighth of all downloads fell in the last 30 days; the chart never exceeds the total.
  const perDay = total / 240
  let charted = 0
  const daily: DailyCount[] = builder.days.map((date) => {
    const count = Math.min(Math.floor(random() * 2 * perDay), total - charted)
    charted += count
    return { date, count }
  })
  const publishedDaysAgo = between(random, 0, 20)
  const published = new Date(Date.parse(`${builder.today}T00:00:00Z`) - publishedDaysAgo * 86_400_000).toISOString().slice(0, 10)
  const time = `${String(between(random, 0, 23)).padStart(2, '0')}:${String(between(random, 0, 59)).padStart(2, '0')}:${String(between(random, 0, 59)).padStart(2, '0')}`
  return {
    type: spec.type,
    name: spec.name,
    repo: spec.repo,
    total,
    daily,
    lastPublished: `${published}T${time}-08:00`, // Pacific standard time, as github.com writes it
    versions,
    ...(spec.private ? { private: true } : {})
  }
}

function builderFor(today: string, digestOf: Builder['digestOf']): Builder {
  let id = 100_000_000
  return { today, days: last30Days(today), nextVersionId: () => ++id, digestOf }
}

/**
 * Four owners with packages (two users, two organizations) and one edge-only user (`lena-k`):
 * every package type, a nested name (`tools/cli`), a package without repository, multi-platform and
 * single-platform images, a 130-version container, and a private package.
 */
export function sampleScenario(): Scenario {
  const builder = builderFor(SAMPLE_TODAY, imageDigest)
  const owner = (login: string, id: number, type: ScenarioOwner['type'], specs: PackageSpec[], edges: Pick<ScenarioOwner, 'followers' | 'orgs'>): ScenarioOwner => ({
    login,
    id,
    type,
    packages: specs.map((spec) => buildPackage(login, spec, builder)),
    ...edges
  })
  return {
    repository: { owner: 'backage-demo', name: 'backage' },
    today: SAMPLE_TODAY,
    owners: [
      owner('backage-demo', 91_000_001, 'User', [{ type: 'npm', name: 'badge-kit', repo: 'backage', versions: 9, popularity: 400 }], {
        followers: ['octo-dev', 'lena-k'],
        orgs: ['acme-labs']
      }),
      owner(
        'acme-labs',
        91_000_002,
        'Organization',
        [
          { type: 'container', name: 'server', repo: 'server', versions: 130, popularity: 900, tagEvery: 10, platforms: ['linux/amd64', 'linux/arm64'], attestation: true },
          { type: 'container', name: 'tools/cli', repo: 'tools', versions: 12, popularity: 150, tagEvery: 3 },
          { type: 'npm', name: 'widgets', repo: 'widgets', versions: 8, popularity: 2500 },
          { type: 'maven', name: 'com.acme-labs.core', repo: 'core', versions: 6, popularity: 300 },
          { type: 'nuget', name: 'AcmeLabs.Client', repo: 'client-dotnet', versions: 5, popularity: 120 },
          { type: 'rubygems', name: 'acme_labs', repo: null, versions: 4, popularity: 60 },
          { type: 'container', name: 'internal-db', repo: 'infra', versions: 3, popularity: 50, private: true }
        ],
        { followers: ['lena-k', 'octo-dev'] }
      ),
      owner(
        'octo-dev',
        91_000_003,
        'User',
        [
          { type: 'container', name: 'octo-app', repo: 'octo-app', versions: 40, popularity: 200, tagEvery: 5 },
          { type: 'npm', name: 'octo-utils', repo: 'octo-utils', versions: 15, popularity: 5000 }
        ],
        { followers: ['backage-demo'], orgs: ['acme-labs', 'pixel-forge'] }
      ),
      owner(
        'pixel-forge',
        91_000_004,
        'Organization',
        [
          { type: 'maven', name: 'io.pixelforge.engine', repo: 'engine', versions: 20, popularity: 700 },
          { type: 'nuget', name: 'PixelForge.Sdk', repo: 'sdk-dotnet', versions: 7, popularity: 90 },
          { type: 'container', name: 'renderer', repo: 'renderer', versions: 25, popularity: 350, tagEvery: 5, platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'] }
        ],
        { followers: ['lena-k'] }
      )
    ],
    stargazers: ['octo-dev', 'lena-k'],
    watchers: ['octo-dev', 'backage-demo'],
    forks: ['lena-k', 'pixel-forge']
  }
}

export interface SyntheticOptions {
  owners: number
  packagesPerOwner: number
  versionsPerPackage: number
  today?: string
}

/**
 * A large deterministic world for the benchmark: owners `synth-000001`... alternating users and
 * organizations, package types in rotation, every seventh package without repository. Container
 * versions are single-platform and named by a cheap digest stand-in (the registry accepts it).
 */
export function syntheticScenario(options: SyntheticOptions): Scenario {
  const builder = builderFor(options.today ?? SAMPLE_TODAY, (_image, id) => `sha256:${createHash('sha256').update(String(id)).digest('hex')}`)
  const owners: ScenarioOwner[] = []
  for (let o = 0; o < options.owners; o++) {
    const login = `synth-${String(o + 1).padStart(6, '0')}`
    const packages: ScenarioPackage[] = []
    for (let p = 0; p < options.packagesPerOwner; p++) {
      const type = PACKAGE_TYPES[p % PACKAGE_TYPES.length] ?? 'container'
      const name = `pkg-${String(p + 1).padStart(4, '0')}`
      packages.push(
        buildPackage(login, { type, name, repo: p % 7 === 6 ? null : `repo-${p % 3}`, versions: options.versionsPerPackage, popularity: 100 + ((o * 31 + p * 17) % 900), tagEvery: 10 }, builder)
      )
    }
    owners.push({ login, id: 80_000_000 + o, type: o % 2 === 0 ? 'User' : 'Organization', packages })
  }
  const first = owners[0]?.login ?? 'synth-000001'
  return {
    repository: { owner: first, name: 'backage' },
    today: builder.today,
    owners,
    stargazers: owners.slice(1, 6).map((o) => o.login),
    watchers: [],
    forks: [],
  }
}
