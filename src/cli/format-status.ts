// `kcluster status` for people: one screen, the same figures --json returns.
import chalk from 'chalk'
import type {ClusterStatus} from '../cluster/index.js'
import {EXIT, type ExitCode} from './exit-codes.js'

export function statusExitCode(status: ClusterStatus): ExitCode {
  switch (status.state) {
    case 'Running':
      return EXIT.ok
    case 'Stopped':
      return EXIT.notRunning
    case 'NotFound':
      return EXIT.notFound
    default:
      return EXIT.unhealthy
  }
}

export function formatStatus(status: ClusterStatus): string {
  const nameFlag = status.name === 'kcluster' ? '' : ` --name ${status.name}`
  const stateColour = status.state === 'Running' ? chalk.green : status.state === 'Degraded' ? chalk.yellow : chalk.red
  const lines = [`${chalk.bold('Cluster:')}     ${status.name}  ${stateColour(status.state)}`]
  if (status.state === 'NotFound') {
    lines.push(`${status.message}.`, `Create it with: kcluster start${nameFlag}`)
    return lines.join('\n')
  }
  lines.push(`${chalk.bold('API server:')}  ${status.apiURL ?? '-'}`)
  lines.push(`${chalk.bold('Driver:')}      ${status.driver ?? '-'}`)
  if (status.ingress) lines.push(`${chalk.bold('Ingress:')}     ${'error' in status.ingress ? `none (${status.ingress.error})` : `${status.ingress.httpURL}, ${status.ingress.httpsURL}`}`)
  if (status.pid !== undefined) lines.push(`${chalk.bold('PID:')}         ${status.pid}`)
  if (status.uptimeSeconds !== undefined) lines.push(`${chalk.bold('Uptime:')}      ${formatUptime(status.uptimeSeconds)} (since ${status.startedAt})`)
  lines.push(`${chalk.bold('State dir:')}   ${status.stateDir}`)
  if (status.components.length) {
    lines.push(chalk.bold('Components:'))
    for (const c of status.components) lines.push(`  ${mark(c.healthy)} ${c.name}${c.message ? `: ${c.message}` : ''}`)
  }
  if (status.nodes.length) {
    lines.push(chalk.bold('Nodes:'))
    for (const n of status.nodes) lines.push(`  ${mark(n.ready)} ${n.name} ${n.ready ? 'Ready' : 'NotReady'}`)
  }
  const counts = Object.entries(status.objectCounts).sort(([a], [b]) => a.localeCompare(b))
  if (counts.length) {
    lines.push(chalk.bold('Objects:'))
    const width = Math.max(...counts.map(([k]) => k.length))
    for (const [resource, count] of counts) lines.push(`  ${resource.padEnd(width)}  ${count}`)
  }
  if (status.state === 'Stopped') lines.push('', `Start it with: kcluster start${nameFlag}`)
  else if (status.state === 'Degraded') lines.push('', `${chalk.yellow('Degraded:')} ${status.message}`, `Logs: ${status.stateDir}/control-plane.log`)
  return lines.join('\n')
}

function mark(ok: boolean): string {
  return ok ? chalk.green('✔') : chalk.red('✖')
}

export function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86_400)
  const h = Math.floor((seconds % 86_400) / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  if (d) return `${d}d${h}h`
  if (h) return `${h}h${m}m`
  if (m) return `${m}m${s}s`
  return `${s}s`
}
