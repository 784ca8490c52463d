/**
 * The single-version page of the fake GitHub (`.../PKG/VERSION_ID`, SPEC 5.1): labels and numbers of
 * one version and, for containers, its manifest. The action does not read it (SPEC 5.6); the fake
 * serves it so that a link of its own pages never answers 404.
 */
import { createHash } from 'node:crypto'
import { packagePageUrl } from '../../src/github/urls.js'
import type { ScenarioOwner, ScenarioPackage, ScenarioVersion } from '../scenario.js'
import { document, esc, refOf, rounded } from './html.js'

export function versionWindows(version: ScenarioVersion): { month: number; week: number; day: number } {
  const month = Math.floor(version.downloads / 3)
  const week = Math.floor(month / 4)
  return { month, week, day: Math.floor(week / 7) }
}

function fakeDigest(seed: string): string {
  return `sha256:${createHash('sha256').update(seed).digest('hex')}`
}

/** The image manifest a container version page embeds (null for other types or without an image). */
export function versionManifest(pkg: ScenarioPackage, version: ScenarioVersion): unknown {
  const image = version.image
  if (pkg.type !== 'container' || !image) return null
  const manifestOf = (layers: number[], seed: string): unknown => ({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: fakeDigest(`${seed}/config`), size: 1000 },
    layers: layers.map((size, i) => ({
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: fakeDigest(`${seed}/layer/${i}`),
      size
    }))
  })
  const [only] = image.platforms
  if (only && image.platforms.length === 1 && !image.attestation) return manifestOf(only.layers, version.name)
  const platformEntry = (platform: string): { os: string; architecture: string } => {
    const [os = 'unknown', architecture = 'unknown'] = platform.split('/')
    return { os, architecture }
  }
  const manifests: unknown[] = image.platforms.map((p) => ({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: fakeDigest(`${version.name}/${p.platform}`),
    size: 500,
    platform: platformEntry(p.platform)
  }))
  if (image.attestation) {
    manifests.push({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: fakeDigest(`${version.name}/attestation`),
      size: 800,
      annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
      platform: { os: 'unknown', architecture: 'unknown' }
    })
  }
  return { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }
}

export function renderVersionPage(owner: ScenarioOwner, pkg: ScenarioPackage, version: ScenarioVersion): string {
  const windows = versionWindows(version)
  const figure = (label: string, n: number, cls: string): string =>
    `    <div class="lh-condensed d-flex flex-column flex-items-baseline">
      <span class="d-block color-fg-muted text-small ${cls}">${label}</span>
      <h3 title="${n}">${rounded(n)}</h3>
    </div>`
  const manifest = versionManifest(pkg, version)
  const manifestBlock =
    manifest === null ? '' : `  <div class="Box"><pre class="f6"><code>${esc(JSON.stringify(manifest, null, 2))}</code></pre></div>`
  const body = `<div class="container-lg p-responsive clearfix">
  <h1 class="sr-only">${esc(pkg.name)} ${esc(version.name)}</h1>
  <nav aria-label="Breadcrumb"><a href="${esc(packagePageUrl('', refOf(owner, pkg)))}">${esc(pkg.name)}</a></nav>
  <span class="text-normal h2">${esc(version.tags[0] ?? version.name)}</span>
  <div class="container-lg d-flex clearfix">
${figure('Total downloads', version.downloads, 'tmp-mb-1')}
${figure('Last 30 days', windows.month, 'mb-1')}
${figure('Last week', windows.week, 'mb-1 tmp-mb-1')}
${figure('Today', windows.day, 'tmp-mb-1')}
  </div>
${manifestBlock}
</div>`
  return document(`${pkg.name} ${version.name}`, body)
}
