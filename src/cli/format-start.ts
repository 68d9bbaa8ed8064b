// The lines `kcluster start` ends with: where the cluster is and what to run next.
import chalk from 'chalk'
import type {StartResult} from '../cluster/index.js'

export function formatStartSummary(result: StartResult, options: {foreground?: boolean} = {}): string {
  const nameFlag = result.name === 'kcluster' ? '' : ` --name ${result.name}`
  const state = result.alreadyRunning ? 'was already running' : result.created ? 'is running' : 'is running again'
  const lines = [
    '',
    `${chalk.green('✔')} Cluster ${chalk.bold(`"${result.name}"`)} ${state} at ${result.apiURL} (driver ${result.driver}, pid ${result.pid})`,
    `  kubectl context ${chalk.bold(`"${result.context}"`)} is now current (${result.kubeconfig})`,
    '',
    'Next steps:',
    `  kubectl get nodes`,
    `  kcluster apply -f app.yaml${nameFlag}`,
    `  kcluster status${nameFlag}`,
  ]
  if (options.foreground) lines.push('', 'Running in the foreground: logs follow, Ctrl-C stops the cluster (state is kept).')
  else lines.push(`  kcluster stop${nameFlag}      # keeps every object; kcluster start resumes`)
  return lines.join('\n')
}
