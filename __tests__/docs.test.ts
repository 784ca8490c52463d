/**
 * The README is the user's reference: every input of action.yml is in its table with the same
 * default. action.yml passes what the Marketplace checks (description length, name, branding).
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { MAX_DESCRIPTION, marketplaceProblems, parseActionYml } from '../test-support/marketplace.js'

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

describe('Marketplace', () => {
  it('accepts action.yml as it is: name, description of at most 125 characters, branding, documented inputs and outputs', () => {
    expect(marketplaceProblems(actionYml, readme)).toEqual([])
    const meta = parseActionYml(actionYml)
    expect(meta.description.length).toBeLessThanOrEqual(MAX_DESCRIPTION)
    expect(meta.inputs.size).toBeGreaterThanOrEqual(13)
    expect(meta.outputs.size).toBeGreaterThanOrEqual(6)
  })

  it('refuses a 126-character description and accepts 125', () => {
    const withDescription = (text: string): string => actionYml.replace(/^description: .*$/m, `description: '${text}'`)
    expect(marketplaceProblems(withDescription('x'.repeat(126)), readme)).toEqual([
      'description is 126 characters; the Marketplace accepts at most 125'
    ])
    expect(marketplaceProblems(withDescription('x'.repeat(125)), readme)).toEqual([])
  })

  it('refuses missing branding, an unknown colour and an undocumented input', () => {
    const broken = actionYml
      .replace(/^ {2}color: .*$/m, "  color: 'pink'")
      .replace(/^inputs:\n/m, "inputs:\n  secret-knob:\n    description: ''\n    default: 'x'\n")
    expect(marketplaceProblems(broken, readme)).toEqual([
      'branding.color "pink" is not one of white, black, yellow, blue, green, orange, red, purple, gray-dark',
      'input secret-knob has no description',
      "input secret-knob is not in the README's inputs table"
    ])
    expect(marketplaceProblems('name: x\n', readme)).toContain('branding.icon is missing')
  })
})
