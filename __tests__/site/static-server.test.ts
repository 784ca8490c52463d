/** The project's own static server (tests, demo): Pages-like paths, loopback only, nothing outside its folder. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { serveStatic, type StaticServer } from '../../test-support/static-server.js'

describe('serveStatic', () => {
  let root: string
  let server: StaticServer
  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'backage-serve-'))
    mkdirSync(path.join(root, 'index', 'acme', 'tools'), { recursive: true })
    writeFileSync(path.join(root, 'secret.txt'), 'outside')
    writeFileSync(path.join(root, 'index', 'index.html'), '<p>site</p>')
    writeFileSync(path.join(root, 'index', '.json'), '{}')
    writeFileSync(path.join(root, 'index', 'acme', 'tools', 'tools%2Fcli.json'), '{"n":1}')
    server = await serveStatic(path.join(root, 'index'))
  })
  afterAll(async () => {
    await server.close()
    rmSync(root, { recursive: true, force: true })
  })

  const get = async (urlPath: string, method = 'GET'): Promise<[number, string | null, string]> => {
    const response = await fetch(`${server.url}${urlPath}`, { method })
    return [response.status, response.headers.get('content-type'), await response.text()]
  }

  it('listens on 127.0.0.1 and serves index.html for the folder', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    expect(await get('')).toEqual([200, 'text/html; charset=utf-8', '<p>site</p>'])
  })

  it('decodes a path once, as raw URLs and Pages do (%25 → %)', async () => {
    expect(await get('acme/tools/tools%252Fcli.json')).toEqual([200, 'application/json; charset=utf-8', '{"n":1}'])
    expect((await get('acme/tools/tools%2Fcli.json'))[0]).toBe(404)
  })

  it('serves no dot-file (Pages drops them), nothing outside its folder, and only GET/HEAD', async () => {
    expect((await get('.json'))[0]).toBe(404)
    expect((await get('%2E%2E/secret.txt'))[0]).toBe(404)
    expect((await get('acme/..%2F..%2Fsecret.txt'))[0]).toBe(404)
    expect((await get('index.html', 'POST'))[0]).toBe(405)
  })
})
