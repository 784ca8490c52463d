/**
 * A small fake of the Actions results service that `@actions/artifact` talks to (Twirp JSON calls
 * under `/twirp/github.actions.results.api.v1.ArtifactService/`, with request fields in snake case),
 * plus the blob storage behind its signed URLs: block uploads (`comp=block`, then `comp=blocklist`)
 * and plain downloads. Just enough for the artifact hand-over of shard deltas; 127.0.0.1 only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeArtifact {
  id: number
  name: string
  runBackendId: string
  jobBackendId: string
  expiresAt: string | null
  /** The uploaded bytes (a zip), set when the upload was finalized. */
  data: Buffer | null
  finalized: boolean
  createdAt: string
}

const SERVICE = '/twirp/github.actions.results.api.v1.ArtifactService/'

export class FakeArtifactService {
  readonly artifacts: FakeArtifact[] = []
  /** Every Twirp method called, in order. */
  readonly calls: string[] = []
  private nextId = 1
  private readonly blocks = new Map<string, Buffer>()

  private constructor(
    private readonly server: Server,
    readonly url: string
  ) {}

  static async start(): Promise<FakeArtifactService> {
    const holder: { service?: FakeArtifactService } = {}
    const server = createServer((req, res) => {
      void holder.service?.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ msg: String(error) }))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    holder.service = new FakeArtifactService(server, `http://127.0.0.1:${port}`)
    return holder.service
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  /** A runtime token as the runner gives it: a JWT whose `scp` names the run and job backends. */
  static runtimeToken(runBackendId: string, jobBackendId: string): string {
    const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url')
    return `${part({ alg: 'none', typ: 'JWT' })}.${part({ scp: `Actions.GenericRead Actions.Results:${runBackendId}:${jobBackendId}` })}.sig`
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req)
    const url = new URL(req.url ?? '/', this.url)
    if (req.method === 'POST' && url.pathname.startsWith(SERVICE)) {
      const method = url.pathname.slice(SERVICE.length)
      this.calls.push(method)
      const answer = this.twirp(method, JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>)
      res.writeHead(answer.status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(answer.body))
      return
    }
    const blob = /^\/blob\/(\d+)$/.exec(url.pathname)
    if (blob && req.method === 'PUT') {
      const id = blob[1] ?? ''
      const comp = url.searchParams.get('comp')
      if (comp === 'block') this.blocks.set(`${id}/${url.searchParams.get('blockid') ?? ''}`, body)
      if (comp === 'blocklist') {
        const ids = [...body.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\//g)].map((m) => m[1] ?? '')
        const artifact = this.artifacts.find((candidate) => String(candidate.id) === id)
        if (artifact) artifact.data = Buffer.concat(ids.map((block) => this.blocks.get(`${id}/${block}`) ?? Buffer.alloc(0)))
      }
      res.writeHead(201, { etag: '"0x1"', 'last-modified': new Date().toUTCString(), 'x-ms-request-id': 'fake', 'x-ms-version': '2025-01-05' })
      res.end()
      return
    }
    const download = /^\/download\/(\d+)\.zip$/.exec(url.pathname)
    const artifact = download ? this.artifacts.find((candidate) => String(candidate.id) === download[1]) : undefined
    if (artifact?.data && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(artifact.data.length) })
      res.end(artifact.data)
      return
    }
    res.writeHead(404)
    res.end()
  }

  private twirp(method: string, request: Record<string, unknown>): { status: number; body: object } {
    const run = String(request.workflow_run_backend_id ?? '')
    const job = String(request.workflow_job_run_backend_id ?? '')
    const name = typeof request.name === 'string' ? request.name : ''
    const ofRun = this.artifacts.filter((artifact) => artifact.runBackendId === run && artifact.finalized)
    switch (method) {
      case 'CreateArtifact': {
        if (ofRun.some((artifact) => artifact.name === name)) {
          return { status: 409, body: { code: 'already_exists', msg: 'an artifact with this name already exists on the workflow run' } }
        }
        const artifact: FakeArtifact = {
          id: this.nextId++,
          name,
          runBackendId: run,
          jobBackendId: job,
          expiresAt: typeof request.expires_at === 'string' ? request.expires_at : null,
          data: null,
          finalized: false,
          createdAt: new Date().toISOString()
        }
        this.artifacts.push(artifact)
        return { status: 200, body: { ok: true, signed_upload_url: `${this.url}/blob/${artifact.id}?sig=fake` } }
      }
      case 'FinalizeArtifact': {
        const artifact = this.artifacts.find((candidate) => candidate.runBackendId === run && candidate.name === name && !candidate.finalized)
        if (!artifact) return { status: 404, body: { code: 'not_found', msg: 'no artifact being uploaded' } }
        artifact.finalized = true
        return { status: 200, body: { ok: true, artifact_id: String(artifact.id) } }
      }
      case 'ListArtifacts': {
        const nameFilter = typeof request.name_filter === 'string' ? request.name_filter : null
        const idFilter = request.id_filter === undefined ? null : String(request.id_filter)
        const listed = ofRun.filter(
          (artifact) => (nameFilter === null || artifact.name === nameFilter) && (idFilter === null || String(artifact.id) === idFilter)
        )
        return {
          status: 200,
          body: {
            artifacts: listed.map((artifact) => ({
              workflow_run_backend_id: artifact.runBackendId,
              workflow_job_run_backend_id: artifact.jobBackendId,
              database_id: String(artifact.id),
              name: artifact.name,
              size: String(artifact.data?.length ?? 0),
              created_at: artifact.createdAt
            }))
          }
        }
      }
      case 'GetSignedArtifactURL': {
        const artifact = ofRun.find((candidate) => candidate.name === name)
        if (!artifact) return { status: 404, body: { code: 'not_found', msg: 'artifact not found' } }
        return { status: 200, body: { signed_url: `${this.url}/download/${artifact.id}.zip?sig=fake` } }
      }
      case 'DeleteArtifact': {
        const index = this.artifacts.findIndex((candidate) => candidate.runBackendId === run && candidate.name === name && candidate.finalized)
        if (index < 0) return { status: 404, body: { code: 'not_found', msg: 'artifact not found' } }
        const [removed] = this.artifacts.splice(index, 1)
        return { status: 200, body: { ok: true, artifact_id: String(removed?.id ?? 0) } }
      }
      default:
        return { status: 404, body: { code: 'bad_route', msg: `no method ${method}` } }
    }
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}
