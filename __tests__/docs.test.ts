/** The README is the user's reference: every input of action.yml is in its table with the same default. */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'

const actionYml = readFileSync('action.yml', 'utf8')
const readme = readFileSync('README.md', 'utf8')

function actionInputs(): Map<string, string> {
  const inputs = new Map<string, string>()
  const section = actionYml.split(/\noutputs:\n/)[0]?.split(/\ninputs:\n/)[1] ?? ''
  for (const match of section.matchAll(/\n? {2}([a-z-]+):\n(?: {4}.*\n)*? {4}default: (.*)\n/g)) {
    inputs.set(match[1] ?? '', (match[2] ?? '').replace(/^'(.*)'$/, '$1'))
  }
  return inputs
}

describe('README', () => {
  it('documents every input with the default of action.yml', () => {
    const inputs = actionInputs()
    expect([...inputs.keys()]).toHaveLength(15)
    for (const [name, value] of inputs) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\` |`))
      expect([name, row?.trim().split('|').at(-2)?.trim()]).toEqual([name, `\`${value === '' ? "''" : value}\``])
    }
  })

  it('documents every output', () => {
    const outputs = actionYml.split(/\noutputs:\n/)[1]?.split(/\nruns:\n/)[0] ?? ''
    const names = [...outputs.matchAll(/^ {2}([a-z-]+):$/gm)].map((m) => m[1])
    expect(names).toHaveLength(7)
    for (const name of names) expect(readme).toContain(`| \`${name}\` |`)
  })

  it('gives the two development commands', () => {
    expect(readme).toContain('npm ci && npm test')
    expect(readme).toContain('npm run demo')
  })
})
