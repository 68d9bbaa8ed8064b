// The benchmark's backend: answers every request with a few bytes, keeping connections alive, so
// that the path to it (pod IP, ClusterIP, NodePort) is what the figures measure, not the server.
import http from 'node:http'

const port = Number(process.env.PORT ?? 8080)
http.createServer((req, res) => res.end('ok\n')).listen(port, () => console.log(`echo listening on ${port}`))
process.on('SIGTERM', () => process.exit(0))
