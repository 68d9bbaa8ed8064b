// The entry point of kcluster-net, the in-network proxy container (docs/networking.md):
//   node /kcluster/dist/cluster/network/net-agent/net-main.js
// with KCLUSTER_NET_TOKEN and KCLUSTER_NET_LISTEN set (net-process.ts lists the optional settings).
// Logs are JSON lines on stdout, read with `docker logs`. As PID 1 in its container Node gets no default
// signal handling, so SIGTERM (docker stop) is handled here: close everything, then exit 0.

// The logger's level is fixed when log.ts is first loaded, and it is silent unless told otherwise; this
// process is a daemon whose stdout is its log, so the default is set before anything imports log.ts.
process.env.KCLUSTER_LOG_LEVEL ??= 'info'
const {logger} = await import('../../log.js')
const {readNetConfig, startNetProcess} = await import('./net-process.js')

const log = logger('net-main')
// Closing is quick (sockets only); a hung close must still not keep `docker stop` waiting for its SIGKILL.
const CLOSE_TIMEOUT_MS = 5000

let config
try {
  config = readNetConfig(process.env)
} catch (err) {
  log.fatal({err}, 'kcluster-net misconfigured')
  process.exit(2)
}

let net
try {
  net = await startNetProcess(config)
} catch (err) {
  log.fatal({err, listen: config.listen, port: config.controlPort}, 'kcluster-net could not start')
  process.exit(1)
}
log.info({listen: config.listen, controlPort: net.controlPort, dnsPort: config.dnsPort}, 'kcluster-net running')

const running = net
let stopping = false
const stop = (signal: NodeJS.Signals): void => {
  if (stopping) return
  stopping = true
  log.info({signal}, 'kcluster-net stopping')
  const timeout = setTimeout(() => {
    log.warn({timeoutMs: CLOSE_TIMEOUT_MS}, 'kcluster-net close timed out')
    process.exit(0)
  }, CLOSE_TIMEOUT_MS)
  timeout.unref()
  running.close().then(
    () => {
      log.info('kcluster-net stopped')
      process.exit(0)
    },
    (err: unknown) => {
      log.error({err}, 'kcluster-net close failed')
      process.exit(0)
    },
  )
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
