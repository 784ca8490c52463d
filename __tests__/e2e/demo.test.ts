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
      // progress of the action is shown while it runs
      expect(printed).toContain('│ refreshing up to')
    } finally {
      rmSync(path.dirname(path.dirname(result.indexDir)), { recursive: true, force: true })
    }
  })
})
