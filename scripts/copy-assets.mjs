// tsc emits only JavaScript; runtime data files (the generated OpenAPI schemas) live next to their
// TypeScript under src/ and are read via import.meta.url, so each *.json is copied to the same path in dist/.
import {copyFileSync, mkdirSync, readdirSync} from 'node:fs'
import {dirname, join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')
const src = join(repo, 'src')
const dist = join(repo, 'dist')

let copied = 0
for (const entry of readdirSync(src, {recursive: true, withFileTypes: true})) {
  if (!entry.isFile() || !entry.name.endsWith('.json')) continue
  const from = join(entry.parentPath ?? entry.path, entry.name)
  const to = join(dist, relative(src, from))
  mkdirSync(dirname(to), {recursive: true})
  copyFileSync(from, to)
  copied++
}
process.stdout.write(`copy-assets: ${copied} file(s) copied from src/ to dist/\n`)
