// `npm run demo` entry: see demo.ts.
import { runDemo } from './demo.js'

runDemo().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
})
