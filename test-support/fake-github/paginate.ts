/** REST pagination as GitHub does it: `per_page` (default 30, max 100), `page`, and a `Link` header. */
import type { FakeRequest } from './exchange.js'

export interface Paged<T> {
  items: T[]
  /** The `Link` header, absent when everything fits on one page. */
  headers: Record<string, string>
}

export function paginate<T>(items: readonly T[], request: FakeRequest): Paged<T> {
  const query = request.url.searchParams
  const perPage = clamp(Number.parseInt(query.get('per_page') ?? '30', 10) || 30, 1, 100)
  const page = Math.max(1, Number.parseInt(query.get('page') ?? '1', 10) || 1)
  const lastPage = Math.max(1, Math.ceil(items.length / perPage))
  const slice = items.slice((page - 1) * perPage, page * perPage)
  const links: string[] = []
  const link = (target: number, rel: string): void => {
    const url = new URL(request.url)
    url.searchParams.set('page', String(target))
    links.push(`<${url.toString()}>; rel="${rel}"`)
  }
  if (page > 1) link(Math.min(page - 1, lastPage), 'prev')
  if (page < lastPage) link(page + 1, 'next')
  if (page < lastPage) link(lastPage, 'last')
  if (page > 1) link(1, 'first')
  return { items: slice, headers: links.length > 0 ? { link: links.join(', ') } : {} }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}
