/**
 * What the GitHub Marketplace asks of action.yml before it lists an action, plus the project's own
 * rule that the README documents every input and output. Returns the problems found, so the test
 * can prove the checker itself rejects a 126-character description.
 */

/** The Marketplace refuses a longer description. */
export const MAX_DESCRIPTION = 125

/** Branding colours the Marketplace accepts. */
export const BRANDING_COLORS = ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark'] as const

export interface ActionMetadata {
  name: string
  description: string
  branding: { icon: string; color: string }
  inputs: Map<string, { description: string; default: string | undefined }>
  outputs: Map<string, { description: string }>
}

function unquote(value: string): string {
  const trimmed = value.trim()
  return /^'.*'$/.test(trimmed) ? trimmed.slice(1, -1).replace(/''/g, "'") : /^".*"$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed
}

/** Reads the flat shape action.yml has (top-level keys, two-level maps), without a YAML library. */
export function parseActionYml(text: string): ActionMetadata {
  const top = new Map<string, string>()
  const sections = new Map<string, Map<string, Map<string, string>>>()
  let section = ''
  let entry = ''
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue
    const key = /^(\s*)([A-Za-z0-9_-]+):\s*(.*)$/.exec(line)
    if (!key) continue
    const [, indent = '', name = '', value = ''] = key
    if (indent.length === 0) {
      section = name
      top.set(name, unquote(value))
      sections.set(name, new Map())
    } else if (indent.length === 2) {
      entry = name
      sections.get(section)?.set(name, new Map([['', unquote(value)]]))
    } else if (indent.length === 4) {
      sections.get(section)?.get(entry)?.set(name, unquote(value))
    }
  }
  const field = (sectionName: string, name: string): string => sections.get(sectionName)?.get(name)?.get('') ?? ''
  const entries = (sectionName: string) => [...(sections.get(sectionName) ?? new Map<string, Map<string, string>>()).entries()]
  return {
    name: top.get('name') ?? '',
    description: top.get('description') ?? '',
    branding: { icon: field('branding', 'icon'), color: field('branding', 'color') },
    inputs: new Map(entries('inputs').map(([name, fields]) => [name, { description: fields.get('description') ?? '', default: fields.get('default') }])),
    outputs: new Map(entries('outputs').map(([name, fields]) => [name, { description: fields.get('description') ?? '' }]))
  }
}

/** Every reason the Marketplace (or a reader of the README) would refuse this action.yml. */
export function marketplaceProblems(actionYml: string, readme: string): string[] {
  const meta = parseActionYml(actionYml)
  const problems: string[] = []
  if (meta.name === '') problems.push('name is missing')
  if (meta.description === '') problems.push('description is missing')
  if (meta.description.length > MAX_DESCRIPTION) {
    problems.push(`description is ${meta.description.length} characters; the Marketplace accepts at most ${MAX_DESCRIPTION}`)
  }
  if (meta.branding.icon === '') problems.push('branding.icon is missing')
  if (!(BRANDING_COLORS as readonly string[]).includes(meta.branding.color)) {
    problems.push(`branding.color "${meta.branding.color}" is not one of ${BRANDING_COLORS.join(', ')}`)
  }
  for (const [name, input] of meta.inputs) {
    if (input.description === '') problems.push(`input ${name} has no description`)
    if (!readme.includes(`| \`${name}\` |`)) problems.push(`input ${name} is not in the README's inputs table`)
  }
  for (const [name, output] of meta.outputs) {
    if (output.description === '') problems.push(`output ${name} has no description`)
    if (!readme.includes(`| \`${name}\` |`)) problems.push(`output ${name} is not in the README's outputs table`)
  }
  return problems
}
