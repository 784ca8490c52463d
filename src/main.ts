/**
 * run(): settings → pipeline → outputs and job summary (SPEC 3).
 */
import * as core from '@actions/core'
import { describeSettings, loadSettings, Outputs, type Settings } from './settings.js'
import { actionsLog, cappedLog, errorMessage } from './log.js'
import { runPipeline } from './pipeline/run.js'
import { renderSummary } from './summary.js'

export async function run(): Promise<void> {
  let settings: Settings
  try {
    settings = loadSettings((name) => core.getInput(name), process.env)
  } catch (error) {
    core.setFailed(errorMessage(error))
    return
  }
  if (settings.token !== '') {
    core.setSecret(settings.token)
    // git receives it as HTTP Basic credentials: mask that form too, as actions/checkout does.
    core.setSecret(Buffer.from(`x-access-token:${settings.token}`).toString('base64'))
  }
  actionsLog.debug(`settings: ${JSON.stringify(describeSettings(settings))}`)

  // A cancelled job gets SIGINT, then SIGTERM: stop scraping and still save and publish.
  const stop = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => stop.abort(new Error(`received ${signal}`))
  process.once('SIGTERM', onSignal)
  process.once('SIGINT', onSignal)
  const log = cappedLog(actionsLog)
  try {
    const result = await runPipeline(settings, {
      log,
      stop: stop.signal,
      useCache: process.env.GITHUB_ACTIONS === 'true'
    })
    core.setOutput(Outputs.Owners, String(result.ownersRefreshed))
    core.setOutput(Outputs.Packages, String(result.packagesRefreshed))
    core.setOutput(Outputs.Stale, String(result.refresh.stale.length))
    core.setOutput(Outputs.IndexCommit, result.indexCommit)
    core.setOutput(Outputs.ReleaseTag, result.releaseTag)
    core.setOutput(Outputs.Complete, String(result.complete))
    core.setOutput(Outputs.ShardArtifact, result.shardArtifact)
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(renderSummary(result, settings)).write()
    if (result.errors.length > 0) core.setFailed(result.errors.join('\n'))
  } catch (error) {
    core.setFailed(errorMessage(error))
  } finally {
    log.finish()
    process.off('SIGTERM', onSignal)
    process.off('SIGINT', onSignal)
  }
}
