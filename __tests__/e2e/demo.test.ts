/** `npm run demo`: the bundled action against the embedded sample GitHub, offline, with a table. */
import { describe, expect, it } from '@jest/globals'
import { rmSync } from 'node:fs'
import * as path from 'node:path'
import { runDemo } from '../../test-support/demo.js'
import { sampleScenario } from '../../test-support/sample-scenario.js'

describe('npm run demo', () => {
  it('indexes the sample owners in dry run and prints the table and badge URLs', async () => {
    const lines: string[] = []
    const result = await runDemo((line) => lines.push(line))
    try {
      const printed = lines.join('\n')
      const publicPackages = sampleScenario().owners.flatMap((o) => o.packages.filter((p) => !p.private))
      expect(result.packages).toHaveLength(publicPackages.length)
      expect(printed).toMatch(/owner\/repo\/package\s+type\s+downloads\s+month\s+week\s+day\s+versions\s+size/)
      expect(printed).toMatch(/acme-labs\/server\/server\s+container\s+\S+/)
      expect(printed).toContain('acme-labs/tools/tools%2Fcli')
      expect(printed).toContain('https://img.shields.io/badge/dynamic/json?url=')
      // SPEC 10.3: the repository owner's ready-to-paste badges
      expect(printed).toMatch(/- `backage-demo\/backage\/badge-kit` !\[downloads\]\(https:\/\/img\.shields\.io\/endpoint\?url=\S+badge-kit\.api%2Fbadges%2Fdownloads\.json\)/)
      expect(printed).toMatch(/SVG: \S+\/backage-demo\/backage\/badge-kit\.api\/badges\/downloads\.svg/)
      expect(printed).toContain(`index written to ${result.indexDir}`)
      // progress of the action is shown while it runs, grouped by stage, without workflow commands
      expect(printed).toContain('│ refreshing up to')
      expect(printed).toContain('│ ▸ Refresh owners and packages')
      expect(printed).not.toMatch(/::[a-z-]+::/)
      expect(printed).not.toContain('add-mask')
      expect(printed).not.toContain('settings: {')
      // unknown values are a dash, not -1 (an npm package has no image size)
      expect(printed).toMatch(/acme-labs\/widgets\/widgets\s+npm\s+.*\s—$/m)
      expect(printed).not.toMatch(/\s-1(\s|$)/)
      // the sample's lena-k owns nothing: refreshed, but not in the index, and the demo says so
      expect(printed).toContain('5 owners were refreshed; the index lists 4 because lena-k has no public packages.')
      // the job summary, as text, at the end
      const summary = printed.slice(printed.indexOf('The job summary a real run writes'))
      expect(summary).toContain('Owners refreshed\n----------------')
      expect(summary).toMatch(/^\s+acme-labs\s+6\s+\d+$/m)
      expect(summary).not.toContain('|')
    } finally {
      rmSync(path.dirname(path.dirname(result.indexDir)), { recursive: true, force: true })
    }
  })
})
