/**
 * The size budget (SPEC 6.3): every published file stays under 10 MB, the most shields.io fetches.
 * An aggregate over the limit drops versions (never the newest or the latest one) of its packages
 * with the most versions first, oldest first, until both its JSON and XML twins fit. Pure.
 */
import { xmlMembers } from './xml.js'
import type { PackageObject, VersionObject } from './package-object.js'

/** Strictly below this many bytes. */
export const FILE_SIZE_LIMIT = 10_000_000

export interface RenderedTwin {
  json: string
  xml: string
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

function droppable(version: VersionObject): boolean {
  return !version.newest && !version.latest
}

/**
 * `objects` as rendered by `render`, trimmed when either twin reaches `limit` bytes. The package
 * objects given are not modified (they are shared with the package files); the counts
 * (`versions`, `tagged`) keep describing the whole package.
 */
export function fitToBudget(
  objects: readonly PackageObject[],
  render: (objects: readonly PackageObject[]) => RenderedTwin,
  limit: number = FILE_SIZE_LIMIT
): RenderedTwin & { droppedVersions: number } {
  let rendered = render(objects)
  let current = [...objects]
  let droppedVersions = 0
  for (;;) {
    let jsonExcess = bytes(rendered.json) - limit + 1
    let xmlExcess = bytes(rendered.xml) - limit + 1
    if (jsonExcess <= 0 && xmlExcess <= 0) return { ...rendered, droppedVersions }
    // Versions kept per package; drop from the package with the most until the estimate fits.
    const kept = current.map((o) => [...o.version])
    let droppedThisRound = 0
    while (jsonExcess > 0 || xmlExcess > 0) {
      let target = -1
      for (let i = 0; i < kept.length; i++) {
        const list = kept[i] ?? []
        if (list.some(droppable) && (target < 0 || list.length > (kept[target]?.length ?? 0))) target = i
      }
      if (target < 0) break // nothing left to drop: the file stays as large as it must be
      const list = kept[target] ?? []
      const index = list.findIndex(droppable) // versions are sorted by id: the first is the oldest
      const [version] = list.splice(index, 1)
      if (!version) break
      jsonExcess -= bytes(JSON.stringify(version)) + 1 // the item and its comma
      xmlExcess -= bytes(xmlMembers({ version }))
      droppedThisRound++
    }
    if (droppedThisRound === 0) return { ...rendered, droppedVersions }
    droppedVersions += droppedThisRound
    current = current.map((o, i) => (kept[i]?.length === o.version.length ? o : { ...o, version: kept[i] ?? [] }))
    rendered = render(current)
  }
}
