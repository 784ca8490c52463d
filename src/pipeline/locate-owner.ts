/**
 * Where an owner's packages are listed (SPEC 4.3, 5.1): its type and id (from the store, else the
 * API) and its whole listing. An owner is retired only on proof: its listing answers 404 and the API
 * does not know the login.
 */
import type { OwnerInfo } from '../ports.js'
import type { OwnerType } from '../types.js'
import type { RefreshOwnerRow } from './refresh.js'
import type { StageContext } from './refresh-owner.js'
import { readListing, type ListingRead } from './read-listing.js'

export interface LocatedOwner {
  ownerType: OwnerType
  ownerId: number
  listing: Extract<ListingRead, { kind: 'read' }>
}

/**
 * Finds the owner's type and id and reads its listing. An owner is retired only on proof: its
 * listing answers 404 and the API does not know the login.
 */
export async function locateOwner(
  stage: StageContext,
  login: string,
  known: RefreshOwnerRow | undefined
): Promise<LocatedOwner | 'retired'> {
  const { deps } = stage
  let info: OwnerInfo | null | undefined
  let type = known?.type ?? null
  let id = known?.id ?? null
  if (type === null || id === null) {
    info = await deps.api.getOwner(login)
    if (info) {
      ;({ type, id } = info)
      deps.store.upsertOwner(info, deps.now().toISOString())
    }
  }
  const ownerType: OwnerType = type === 'Organization' ? 'orgs' : 'users'
  let listing = await readListing(deps.http, deps.serverUrl, ownerType, login, stage.stop.signal)
  if (listing.kind === 'missing') {
    if (info === undefined) info = await deps.api.getOwner(login)
    if (info === null) {
      deps.store.retireOwner(login)
      stage.report.retired.owners.push(login)
      deps.log.info(`${login}: no longer exists (listing 404, unknown to the API): retired`)
      return 'retired'
    }
    const actualType: OwnerType = info.type === 'Organization' ? 'orgs' : 'users'
    deps.store.upsertOwner(info, deps.now().toISOString())
    if (actualType !== ownerType) listing = await readListing(deps.http, deps.serverUrl, actualType, login, stage.stop.signal)
    if (listing.kind === 'missing') throw new Error(`package listing answers 404 although the account exists`)
    return { ownerType: actualType, ownerId: info.id, listing }
  }
  if (id === null) throw new Error('owner id unknown (the API did not answer for it)')
  return { ownerType, ownerId: id, listing }
}
