import { describe, expect, it } from '@jest/globals'
import { imageDigest } from '../../test-support/fake-github/registry.js'
import { sampleScenario, syntheticScenario } from '../../test-support/sample-scenario.js'
import { PACKAGE_TYPES } from '../../src/types.js'

describe('sampleScenario', () => {
  const scenario = sampleScenario()
  const packages = scenario.owners.flatMap((o) => o.packages.map((p) => ({ owner: o, pkg: p })))

  it('is deterministic', () => {
    expect(sampleScenario()).toEqual(scenario)
  })

  it('covers what the pipeline must handle', () => {
    expect(scenario.owners.map((o) => o.type).sort()).toEqual(['Organization', 'Organization', 'User', 'User'])
    const acme = scenario.owners.find((o) => o.login === 'acme-labs')
    expect(new Set(acme?.packages.map((p) => p.type))).toEqual(new Set(PACKAGE_TYPES))
    expect(packages.some(({ pkg }) => pkg.name.includes('/'))).toBe(true)
    expect(packages.some(({ pkg }) => pkg.repo === null)).toBe(true)
    expect(packages.filter(({ pkg }) => pkg.private)).toHaveLength(1)
    expect(packages.some(({ pkg }) => pkg.type === 'container' && pkg.versions.length > 100)).toBe(true)
    const images = packages.flatMap(({ pkg }) => pkg.versions.map((v) => v.image)).filter((i) => i !== undefined)
    expect(images.some((i) => i.platforms.length > 1 && i.attestation)).toBe(true)
    expect(images.some((i) => i.platforms.length === 1)).toBe(true)
    expect(packages.some(({ pkg }) => pkg.versions.some((v) => v.tags.includes('latest')))).toBe(true)
    expect(scenario.owners.find((o) => o.login === scenario.repository.owner)?.packages.length).toBeGreaterThan(0)
  })

  it('keeps every package consistent with itself', () => {
    for (const { pkg } of packages) {
      expect(pkg.daily).toHaveLength(30)
      expect(pkg.daily.at(-1)?.date).toBe(scenario.today)
      expect(pkg.total).toBe(pkg.versions.reduce((sum, v) => sum + v.downloads, 0))
      expect(pkg.daily.reduce((sum, d) => sum + d.count, 0)).toBeLessThanOrEqual(pkg.total)
      const ids = pkg.versions.map((v) => v.id)
      expect([...ids].sort((a, b) => a - b)).toEqual(ids)
      for (const version of pkg.versions) {
        if (version.image) expect(version.name).toBe(imageDigest(version.image, version.id))
      }
    }
  })
})

describe('syntheticScenario', () => {
  it('builds the requested, deterministic world', () => {
    const options = { owners: 3, packagesPerOwner: 7, versionsPerPackage: 4 }
    const scenario = syntheticScenario(options)
    expect(scenario.owners).toHaveLength(3)
    expect(scenario.owners.every((o) => o.packages.length === 7)).toBe(true)
    expect(scenario.owners.flatMap((o) => o.packages).every((p) => p.versions.length === 4)).toBe(true)
    expect(new Set(scenario.owners.flatMap((o) => o.packages.map((p) => p.type)))).toEqual(new Set(PACKAGE_TYPES))
    expect(syntheticScenario(options)).toEqual(scenario)
    const ids = scenario.owners.flatMap((o) => o.packages.flatMap((p) => p.versions.map((v) => v.id)))
    expect(new Set(ids).size).toBe(ids.length)
  })
})
