import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {EXIT, EXIT_CODES_HELP} from '../cli/exit-codes.js'
import type {ServiceUrlsResult} from '../cluster/services/service-urls.js'

export default class Service extends BaseCommand {
  static override summary = 'Print or open the URL of a NodePort or LoadBalancer Service on 127.0.0.1.'
  static override description = `A LoadBalancer Service answers on 127.0.0.1 at each of its ports once its EXTERNAL-IP is 127.0.0.1; a NodePort Service answers at each of its nodePorts (a LoadBalancer Service whose load balancer is still pending is shown by its nodePorts). Without --url, the first URL is opened in the browser when stdout is a terminal, and printed otherwise. A ClusterIP Service has no URL on the host: the error says how to expose it (kubectl expose --type=NodePort, or kubectl port-forward). Needs a cluster on the docker driver.

${EXIT_CODES_HELP} A Service that does not exist exits 4; a ClusterIP or ExternalName Service exits 2.`

  static override examples = ['<%= config.bin %> service web', '<%= config.bin %> service web -n shop --url', 'curl $(<%= config.bin %> service web --url | head -1)']
  static override enableJsonFlag = true

  static override args = {service: Args.string({description: 'Service name.', required: true})}

  static override flags = {
    namespace: Flags.string({char: 'n', description: 'Namespace of the Service.', default: 'default'}),
    url: Flags.boolean({description: 'Print the URLs, one per line, instead of opening the browser.', default: false}),
  }

  async run(): Promise<ServiceUrlsResult> {
    const {args, flags} = await this.parse(Service)
    const {serviceUrls} = await import('../cluster/services/service-urls.js')
    const result = await serviceUrls(flags.name, args.service, {namespace: flags.namespace})
    if (this.jsonEnabled()) return result
    for (const note of result.notes) process.stderr.write(`Note: ${note}\n`)
    if (result.urls.length === 0) {
      process.stderr.write(`Service ${result.namespace}/${result.service} has no URL on 127.0.0.1 yet.\n`)
      this.setExitCode(EXIT.failure)
      return result
    }
    const first = result.urls.find((u) => u.startsWith('http://'))
    if (flags.url || !process.stdout.isTTY || !first) {
      for (const url of result.urls) this.log(url)
      return result
    }
    const {openUrl} = await import('../cluster/services/open-url.js')
    const opened = await openUrl(first)
    if (opened.opened) this.log(`Opening service ${result.namespace}/${result.service} in the default browser: ${first}`)
    else {
      this.log(`Service ${result.namespace}/${result.service} is at ${first} (no browser opened: ${opened.why})`)
      for (const url of result.urls.slice(1)) this.log(url)
    }
    return result
  }
}
