/**
 * The real `git` CLI behind a narrow interface for the index writer (publish/git.ts) and the
 * index-branch guard (publish/index-branch.ts): one place that runs git with credentials that never
 * show in arguments, errors or logs.
 */
import { execFile } from 'node:child_process'

export class GitCommandError extends Error {
  constructor(
    readonly shown: string,
    readonly stderr: string
  ) {
    super(`${shown} failed: ${stderr.trim() || 'no output'}`)
    this.name = 'GitCommandError'
  }
}

export interface Git {
  /** Runs git; the credential arguments (`hidden`) come first and are never shown. */
  run(args: string[]): Promise<string>
  /** Like run, but resolves to null instead of throwing. */
  tryRun(args: string[]): Promise<string | null>
  env: NodeJS.ProcessEnv
  cwd: string
  redact(text: string): string
}

/** What a git failure said, without the command line (which may hold a URL). */
export function gitDetail(error: unknown): string {
  return error instanceof GitCommandError ? error.stderr.trim() : String(error)
}

/**
 * A git runner in `cwd`. With a token, every command carries it as an `http.extraheader`, which
 * first clears any header a checkout left configured (the plain key and, since it beats the plain
 * one, the key scoped to the remote's origin), so the token is the only credential sent.
 */
export async function openGit(cwd: string, env: NodeJS.ProcessEnv, remote: string, token?: string): Promise<Git> {
  const secrets: string[] = []
  const hidden: string[] = []
  const make = (): Git => {
    const redact = (text: string): string => secrets.reduce((t, s) => (s ? t.split(s).join('***') : t), text)
    const run = (args: string[]): Promise<string> =>
      new Promise((resolve, reject) => {
        execFile('git', [...hidden, ...args], { cwd, env, maxBuffer: 1 << 30, encoding: 'utf8' }, (error, stdout, stderr) => {
          if (error) reject(new GitCommandError(`git ${args.join(' ')}`, redact(stderr || error.message)))
          else resolve(stdout)
        })
      })
    const tryRun = (args: string[]): Promise<string | null> => run(args).catch(() => null)
    return { run, tryRun, env, cwd, redact }
  }
  const git = make()
  if (token) {
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64')
    secrets.push(token, basic)
    const header = `AUTHORIZATION: basic ${basic}`
    const scope = await remoteOrigin(git, remote)
    hidden.push('-c', 'http.extraheader=', '-c', `http.extraheader=${header}`)
    if (scope) hidden.push('-c', `http.${scope}/.extraheader=`, '-c', `http.${scope}/.extraheader=${header}`)
  }
  return git
}

/** `https://host[:port]` of an http(s) remote (a URL, or a remote name resolved by git), else null. */
async function remoteOrigin(git: Git, remote: string): Promise<string | null> {
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(remote) ? remote : ((await git.tryRun(['remote', 'get-url', remote])) ?? '').trim()
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null
  } catch {
    return null
  }
}
