// The detached control-plane process: `node control-plane-main.js --name N`. A plain entry point
// rather than an oclif command, because loading oclif would add ~200 ms to every `kcluster start`.
// `kcluster control-plane` (hidden) and `start --foreground` run the same runControlPlane().

// Before anything imports the logger: it reads the level once.
process.env.KCLUSTER_LOG_LEVEL ??= 'info'

function nameFromArgs(argv: string[]): string {
  const i = argv.indexOf('--name')
  const name = i >= 0 ? argv[i + 1] : undefined
  if (!name) throw new Error('usage: control-plane-main --name <cluster>')
  return name
}

function describe(error: unknown): string {
  const e = error as {message?: string; why?: string; fix?: string}
  return [`Error: ${e.message ?? String(error)}`, e.why ? `  Why: ${e.why}` : '', e.fix ? `  Fix: ${e.fix}` : ''].filter(Boolean).join('\n')
}

async function main(): Promise<void> {
  const name = nameFromArgs(process.argv.slice(2))
  const {runControlPlane} = await import('./run-control-plane.js')
  const running = await runControlPlane(name)
  process.stdout.write(`control plane for cluster "${name}" serving ${running.url} (pid ${process.pid})\n`)
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'))
    process.once('SIGINT', () => resolve('SIGINT'))
  })
  // A second signal while stopping means "now".
  process.once('SIGINT', () => process.exit(130))
  process.stdout.write(`${signal}: stopping\n`)
  await running.stop()
  process.stdout.write('stopped\n')
  process.exit(0)
}

main().catch((error) => {
  process.stderr.write(`${describe(error)}\n`)
  process.exit(1)
})
