// `npm run site:assets`: rewrites the generated module that embeds the site (see site-assets.ts).
import { writeFileSync } from 'node:fs'
import { GENERATED_MODULE, siteAssets, siteAssetsModule } from './site-assets.js'

const assets = siteAssets()
writeFileSync(GENERATED_MODULE, siteAssetsModule(assets))
const bytes = assets.reduce((sum, [, content]) => sum + Buffer.byteLength(content), 0)
console.log(`${GENERATED_MODULE}: ${assets.length} files, ${(bytes / 1000).toFixed(1)} kB`)
