/**
 * The README of the index branch (SPEC 6.1). The built-in template below is used unless the
 * workspace has `.backage/README.md`. Placeholders: `<GITHUB_OWNER>`, `<GITHUB_REPO>`,
 * `<GITHUB_BRANCH>` (where the index lives), `<RAW_BASE>` (the URL base of its files, SPEC 10:
 * raw.githubusercontent.com on github.com, `SERVER/OWNER/REPO/raw/BRANCH` on GitHub Enterprise),
 * `<RAW_BASE_ENCODED>` (the same, as a query value), `<FETCH_FROM>` and `<HOST_NOTE>` (lines that
 * differ between github.com and GitHub Enterprise), and the counts `<OWNERS>`, `<REPOS>`,
 * `<PACKAGES>` (formatted, `2.8k`), `<RAW_OWNERS>`, `<RAW_REPOS>`, `<RAW_PACKAGES>`, `<DATE>` (run day) and
 * `<BADGES>` (the ready-to-paste badges of SPEC 10.3, empty when the static API is off).
 */
import { isGitHubCom, rawBaseUrl } from './paths.js'

export interface ReadmeValues {
  /** GITHUB_SERVER_URL: decides the URL forms (github.com or GitHub Enterprise). */
  serverUrl: string
  owner: string
  repo: string
  branch: string
  owners: string
  repos: string
  packages: string
  rawOwners: number
  rawRepos: number
  rawPackages: number
  date: string
  /** The ready-to-paste badges of the repository owner's packages (SPEC 10.3), for `<BADGES>`. */
  badges?: string
}

// The badge recipes are real shields.io queries; `%24` is `$`, `%5B`/`%5D` are brackets and
// `%22` quotes, so they can be pasted as they are.
export const DEFAULT_README_TEMPLATE = `# GitHub Packages downloads index

This branch is a static "downloads API" for GitHub Packages, kept up to date by
backage-action running in the repository \`<GITHUB_OWNER>/<GITHUB_REPO>\`. GitHub has no API for package download counts: they are read from
the public package pages and published here as JSON and XML files. Do not edit this branch by hand;
every run rewrites it.

It holds **<OWNERS>** owners, **<REPOS>** repositories and **<PACKAGES>** packages
(<RAW_OWNERS>, <RAW_REPOS> and <RAW_PACKAGES> exactly) as of <DATE>.

## Endpoints

Every file exists as \`.json\` and as \`.xml\`. \`PACKAGE\` is the name as it appears in URLs (a \`/\`
inside a name is \`%2F\`); a package without a repository uses its own name as \`REPO\`.

| file | content |
|---|---|
| \`/.json\` | counts of owners, repositories and packages |
| \`/OWNER/.json\` | every package of an owner |
| \`/OWNER/REPO/.json\` | every package of a repository |
| \`/OWNER/REPO/PACKAGE.json\` | one package: downloads, size, versions, ranks |

Fetch them from any of:

<FETCH_FROM>
- GitHub Pages, when enabled for the \`<GITHUB_BRANCH>\` branch

## Badges
<HOST_NOTE>
Total downloads (JSON):

\`\`\`markdown
![downloads](https://img.shields.io/badge/dynamic/json?url=<RAW_BASE_ENCODED>%2FOWNER%2FREPO%2FPACKAGE.json&query=%24.downloads&label=downloads)
\`\`\`

Size of the package (JSON):

\`\`\`markdown
![size](https://img.shields.io/badge/dynamic/json?url=<RAW_BASE_ENCODED>%2FOWNER%2FREPO%2FPACKAGE.json&query=%24.size&label=size)
\`\`\`

Tags of the latest version (XML):

\`\`\`markdown
![latest](https://img.shields.io/badge/dynamic/xml?url=<RAW_BASE_ENCODED>%2FOWNER%2FREPO%2FPACKAGE.xml&query=%2Fxml%2Fversion%5B.%2Flatest%5B.%3D%22true%22%5D%5D%2Ftags%5B.!%3D%22latest%22%5D&label=latest)
\`\`\`

Downloads (XML):

\`\`\`markdown
![downloads](https://img.shields.io/badge/dynamic/xml?url=<RAW_BASE_ENCODED>%2FOWNER%2FREPO%2FPACKAGE.xml&query=%2Fxml%2Fdownloads&label=downloads)
\`\`\`

Other members work the same way: \`$.downloads_month\`, \`$.downloads_week\`, \`$.downloads_day\`,
\`$.versions\`, \`$.owner_rank\`, and the exact numbers under \`raw_\` names.

## Ready-to-paste badges

Each package also has shields endpoint badges in \`OWNER/REPO/PACKAGE.api/badges/\` (\`downloads\`,
\`month\`, \`week\`, \`day\`, \`versions\`, \`version\`, and \`size\` for containers), drawn by
\`https://img.shields.io/endpoint?url=\` followed by the encoded raw URL of the \`.json\`; the
packages of this repository's own owners have the same badges as \`.svg\`. The most downloaded
packages of <GITHUB_OWNER>:

<BADGES>`

const rawBase = (v: ReadmeValues): string => rawBaseUrl(v.serverUrl, v.owner, v.repo, v.branch)

function fetchFrom(v: ReadmeValues): string {
  const file = 'OWNER/REPO/PACKAGE.json'
  const lines = [`- \`${rawBase(v)}/${file}\``]
  // On github.com the server also serves `/raw/` (a redirect to the first); elsewhere the two are one URL.
  if (isGitHubCom(v.serverUrl)) lines.push(`- \`${v.serverUrl.replace(/\/+$/, '')}/${v.owner}/${v.repo}/raw/${v.branch}/${file}\``)
  return lines.join('\n')
}

function hostNote(v: ReadmeValues): string {
  if (isGitHubCom(v.serverUrl)) return ''
  return (
    '\n> This index lives on a GitHub Enterprise Server. shields.io draws these badges only when it can ' +
    'fetch the file over the internet: on a server it cannot reach, or when reading the file needs a sign-in, ' +
    'the badge shows an error. The JSON and XML files work for anyone who can read this repository.\n'
  )
}

// Computed ones first: their text holds the plain placeholders filled below.
const PLACEHOLDERS: readonly [string, (v: ReadmeValues) => string][] = [
  ['<FETCH_FROM>', fetchFrom],
  ['<HOST_NOTE>', hostNote],
  ['<RAW_BASE_ENCODED>', (v) => encodeURIComponent(rawBase(v))],
  ['<RAW_BASE>', rawBase],
  ['<GITHUB_OWNER>', (v) => v.owner],
  ['<GITHUB_REPO>', (v) => v.repo],
  ['<GITHUB_BRANCH>', (v) => v.branch],
  ['<OWNERS>', (v) => v.owners],
  ['<REPOS>', (v) => v.repos],
  ['<PACKAGES>', (v) => v.packages],
  ['<RAW_OWNERS>', (v) => String(v.rawOwners)],
  ['<RAW_REPOS>', (v) => String(v.rawRepos)],
  ['<RAW_PACKAGES>', (v) => String(v.rawPackages)],
  ['<DATE>', (v) => v.date],
  ['<BADGES>', (v) => v.badges ?? '']
]

/** The template with every placeholder filled in. */
export function renderReadme(template: string, values: ReadmeValues): string {
  let text = template
  for (const [placeholder, value] of PLACEHOLDERS) text = text.replaceAll(placeholder, value(values))
  return text
}
