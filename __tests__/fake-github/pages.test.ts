import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { FakeGitHub } from '../../test-support/fake-github/server.js'
import { ownerListingUrl, packagePageUrl, versionUrl, versionsUrl } from '../../src/github/urls.js'
import type { PackageRef } from '../../src/types.js'
import { startSample } from './helpers.js'

describe('fake GitHub pages', () => {
  let gh: FakeGitHub
  beforeAll(async () => {
    gh = await startSample()
  })
  afterAll(async () => {
    await gh.stop()
  })

  async function status(path: string): Promise<number> {
    const response = await fetch(`${gh.url}${path}`)
    await response.arrayBuffer()
    return response.status
  }

  it.each([
    '/orgs/acme-labs/packages?visibility=public&page=1',
    '/octo-dev?tab=packages&visibility=public&page=1',
    '/orgs/acme-labs/packages/container/package/server',
    '/orgs/acme-labs/packages/container/package/tools%2Fcli',
    '/users/octo-dev/packages/npm/package/octo-utils',
    '/acme-labs/server/pkgs/container/server',
    '/acme-labs/tools/pkgs/container/tools%2Fcli/versions?page=1',
    '/orgs/acme-labs/packages/container/server/versions?page=3',
    '/orgs/acme-labs/packages/container/server/versions?filters%5Bversion_type%5D=tagged&page=1',
    '/orgs/acme-labs/packages/rubygems/package/acme_labs'
  ])('serves %s', async (path) => {
    expect(await status(path)).toBe(200)
  })

  it.each([
    ['a user through the org listing', '/orgs/octo-dev/packages?visibility=public&page=1'],
    ['an org through the user listing', '/acme-labs?tab=packages&visibility=public&page=1'],
    ['an unknown owner', '/orgs/nobody-here/packages?visibility=public&page=1'],
    ['the wrong owner kind', '/users/acme-labs/packages/container/package/server'],
    ['a private package', '/orgs/acme-labs/packages/container/package/internal-db'],
    ['a private package by repository', '/acme-labs/infra/pkgs/container/internal-db'],
    ['an unknown package', '/orgs/acme-labs/packages/npm/package/nothing'],
    ['the wrong type', '/orgs/acme-labs/packages/npm/package/server'],
    ['the wrong repository', '/acme-labs/widgets/pkgs/container/server'],
    ['an unencoded nested name', '/orgs/acme-labs/packages/container/package/tools/cli'],
    ['an unknown version id', '/orgs/acme-labs/packages/container/server/1']
  ])('answers 404 for %s', async (_what, path) => {
    expect(await status(path)).toBe(404)
  })

  it('answers every URL that src/github/urls.ts builds for the public packages of the sample', async () => {
    for (const owner of gh.scenario.owners) {
      const ownerType = owner.type === 'Organization' ? 'orgs' : 'users'
      expect(await status(ownerListingUrl('', ownerType, owner.login, 1))).toBe(200)
      for (const pkg of owner.packages.filter((p) => !p.private)) {
        const ref: PackageRef = { ownerType, owner: owner.login, type: pkg.type, name: pkg.name, repo: pkg.repo }
        const newest = pkg.versions.at(-1)?.id ?? 0
        for (const url of [
          packagePageUrl('', ref),
          versionsUrl('', ref, { page: 1 }),
          versionsUrl('', ref, { page: 1, tagged: true }),
          versionUrl('', ref, newest)
        ]) {
          expect([url, await status(url)]).toEqual([url, 200])
        }
        if (pkg.repo !== null) {
          const repoForm = `/${owner.login}/${pkg.repo}/pkgs/${pkg.type}/${encodeURIComponent(pkg.name)}`
          expect(await status(repoForm)).toBe(200)
          expect(await status(`${repoForm}/${newest}`)).toBe(200)
        }
      }
    }
  })

  it('renders the listing, package, versions and version pages from the scenario', async () => {
    const listing = await (await fetch(`${gh.url}/orgs/acme-labs/packages?visibility=public&page=1`)).text()
    expect(listing).toContain('/orgs/acme-labs/packages/container/package/tools%2Fcli')
    expect(listing).not.toContain('internal-db')
    const server = gh.scenario.owners.find((o) => o.login === 'acme-labs')?.packages.find((p) => p.name === 'server')
    const packagePage = await (await fetch(`${gh.url}/orgs/acme-labs/packages/container/package/server`)).text()
    expect(packagePage).toContain(`title="${server?.total}"`)
    const oldest = server?.versions[0]
    const pageThree = await (await fetch(`${gh.url}/orgs/acme-labs/packages/container/server/versions?page=3`)).text()
    expect(pageThree).toContain(`/orgs/acme-labs/packages/container/server/${oldest?.id}`)
    const versionPage = await (await fetch(`${gh.url}/orgs/acme-labs/packages/container/server/${oldest?.id}`)).text()
    expect(versionPage).toContain(`title="${oldest?.downloads}"`)
  })

  it('follows scenario changes between requests and logs every request with its kind', async () => {
    const acme = gh.scenario.owners.find((o) => o.login === 'acme-labs')
    const widgets = acme?.packages.find((p) => p.name === 'widgets')
    if (!acme || !widgets) throw new Error('sample scenario changed')
    acme.packages = acme.packages.filter((p) => p !== widgets)
    try {
      expect(await status('/orgs/acme-labs/packages/npm/package/widgets')).toBe(404)
    } finally {
      acme.packages.push(widgets)
    }
    await fetch(`${gh.url}/orgs/acme-labs/packages/npm/package/widgets`, { headers: { 'user-agent': 'backage-test/1.0' } })
    expect(gh.requests.at(-1)).toEqual({
      method: 'GET',
      path: '/orgs/acme-labs/packages/npm/package/widgets',
      kind: 'page',
      status: 200,
      userAgent: 'backage-test/1.0'
    })
  })
})
