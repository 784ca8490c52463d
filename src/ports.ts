/**
 * The narrow interfaces of the I/O edges. The core (planning, refresh logic, rendering) depends on
 * these, never on a concrete HTTP client, so it can be tested without servers; the implementations
 * live in github/ (http.ts for pages, octokit.ts for the APIs, registry.ts).
 */
import type { ImageSize } from './types.js'

/** Which counter (and, for rest and graphql, which hourly budget) a request belongs to. */
export type RequestKind = 'page' | 'rest' | 'graphql' | 'registry' | 'upload'

/** The requests of the project's own client (the APIs go through Octokit). */
export type PageKind = Extract<RequestKind, 'page' | 'registry'>

export interface HttpRequest {
  url: string
  kind: PageKind
  method?: string
  headers?: Record<string, string>
  body?: string | Uint8Array
  /** Stop waiting (queue, backoff or transfer) when this aborts. */
  signal?: AbortSignal
  /** Largest body read, in bytes (default: the kind's cap in github/body.ts); past it `BodyTooLarge`. */
  maxBytes?: number
}

export interface HttpResponse {
  status: number
  /** Lower-case header names. */
  headers: Record<string, string>
  body: Uint8Array
  /** The final URL after redirects. */
  url: string
  text(): string
}

/**
 * The polite client for github.com pages and the registry (SPEC 5.5). Answers every status as a
 * response (a 404 is data, not an error); throws only when it gives up: `BudgetExhausted`, abort,
 * or retries used up.
 */
export interface Http {
  request(req: HttpRequest): Promise<HttpResponse>
}

/** GitHub's answer for a user or organization. */
export interface OwnerInfo {
  login: string
  id: number
  type: 'User' | 'Organization'
}

export interface ReleaseAsset {
  id: number
  name: string
  size: number
  /** API URL of the asset (`.../releases/assets/ID`), downloaded with `Accept: application/octet-stream`. */
  url: string
}

export interface Release {
  id: number
  tag_name: string
  name: string
  body: string
  /** ISO time GitHub gives: snapshots are ordered by it (SPEC 7), never by their tag. */
  created_at: string
  /** A release being written (its asset not uploaded yet), or left behind by a killed run. */
  draft: boolean
  upload_url: string
  assets: ReleaseAsset[]
}

/** Releases of the repository the action runs in. */
export interface ReleasesApi {
  /** Every release, drafts included, all pages, newest first (as GitHub lists them). */
  listReleases(): Promise<Release[]>
  /** Creates a release with `make_latest: "false"`; a draft when `draft` (published later). */
  createRelease(input: { tag: string; name: string; body: string; draft?: boolean }): Promise<Release>
  /** Publishes a draft (`draft: false`, still `make_latest: "false"`): its tag is created then. */
  publishRelease(release: Release): Promise<Release>
  uploadAsset(release: Release, name: string, data: Uint8Array, contentType: string): Promise<ReleaseAsset>
  /** The asset's bytes; an answer larger than the asset's stated `size` is refused (`BodyTooLarge`). */
  downloadAsset(asset: ReleaseAsset): Promise<Uint8Array>
  /**
   * Deletes the release and its tag. `useReserve` (default true) lets it spend the API reserve, as
   * removing a half-made release must; pruning passes false and is deferred at the reserve.
   */
  deleteRelease(release: Release, options?: { useReserve?: boolean }): Promise<void>
}

/** Container image sizes (SPEC 5.4). */
export interface ImageSizer {
  /** `private` on 401; null when the registry has no such manifest. */
  sizeOf(owner: string, name: string, reference: string, signal?: AbortSignal): Promise<ImageSize | 'private' | null>
}
