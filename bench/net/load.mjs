// Load generator for the network figures, run on the host or inside a pod (the host's node binary
// bind-mounted): node load.mjs '<json spec>' prints one JSON line of results.
//   {"http": [{"name", "host", "port"}], "durationMs", "concurrency", "keepAlive"}
//     -> per target: requests per second, p50/p99 latency in ms, errors
//   {"dns": {"server", "name", "count"}} -> p50/p99 answer time in ms of sequential UDP A queries
import dgram from 'node:dgram'
import http from 'node:http'

const spec = JSON.parse(process.argv[2])

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN
}

function get(agent, host, port) {
  return new Promise((resolve, reject) => {
    const req = http.request({host, port, path: '/', agent, timeout: 5000}, (res) => {
      res.on('data', () => undefined)
      res.on('end', resolve)
    })
    req.on('timeout', () => req.destroy(new Error('timed out')))
    req.on('error', reject)
    req.end()
  })
}

async function httpLoad({host, port}, durationMs) {
  const agent = new http.Agent({keepAlive: spec.keepAlive, maxSockets: spec.concurrency})
  const latencies = []
  let errors = 0
  let measuring = false
  const run = async (until) => {
    while (performance.now() < until) {
      const t = performance.now()
      try {
        await get(agent, host, port)
        if (measuring) latencies.push(performance.now() - t)
      } catch {
        if (measuring) errors++
      }
    }
  }
  // A short warm-up (connections made, code paths compiled) outside the measurement.
  await Promise.all(Array.from({length: spec.concurrency}, () => run(performance.now() + 300)))
  measuring = true
  const t0 = performance.now()
  await Promise.all(Array.from({length: spec.concurrency}, () => run(t0 + durationMs)))
  const elapsed = performance.now() - t0
  agent.destroy()
  latencies.sort((a, b) => a - b)
  return {rps: latencies.length / (elapsed / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors, n: latencies.length}
}

function dnsQuery(id, name) {
  const labels = name.split('.').filter(Boolean).flatMap((l) => [Buffer.from([l.length]), Buffer.from(l)])
  const header = Buffer.alloc(12)
  header.writeUInt16BE(id, 0)
  header.writeUInt16BE(0x0100, 2) // recursion desired
  header.writeUInt16BE(1, 4)
  return Buffer.concat([header, ...labels, Buffer.from([0, 0, 1, 0, 1])])
}

async function dnsLoad({server, name, count}) {
  const socket = dgram.createSocket('udp4')
  const latencies = []
  let errors = 0
  for (let i = 0; i < count; i++) {
    const id = i & 0xffff
    const t = performance.now()
    const answered = await new Promise((resolve) => {
      const timer = setTimeout(() => done(false), 1000)
      const onMessage = (msg) => {
        if (msg.readUInt16BE(0) === id && (msg.readUInt16BE(2) & 0x000f) === 0 && msg.readUInt16BE(6) > 0) done(true)
      }
      function done(ok) {
        clearTimeout(timer)
        socket.off('message', onMessage)
        resolve(ok)
      }
      socket.on('message', onMessage)
      socket.send(dnsQuery(id, name), 53, server)
    })
    if (answered) latencies.push(performance.now() - t)
    else errors++
  }
  socket.close()
  latencies.sort((a, b) => a - b)
  return {p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors, n: latencies.length}
}

const results = {}
for (const target of spec.http ?? []) results[target.name] = await httpLoad(target, spec.durationMs)
if (spec.dns) results.dns = await dnsLoad(spec.dns)
console.log(JSON.stringify(results))
