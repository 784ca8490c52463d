// `npm run serve -- DIR [PORT]`: serves an index folder and its site on 127.0.0.1 until Ctrl-C.
import { existsSync } from 'node:fs'
import { serveStatic } from './static-server.js'

const [dir, port] = process.argv.slice(2)
if (!dir || !existsSync(dir)) {
  console.error('usage: npm run serve -- INDEX_DIR [PORT]')
  process.exitCode = 2
} else {
  const server = await serveStatic(dir, port ? Number(port) : 8000)
  console.log(`serving ${dir} at ${server.url} (Ctrl-C to stop)`)
}
