// A small cluster for the DNS tests: Services of every kind, their ready endpoints and a pod that lends
// its hostname to an endpoint.
import type {ClusterDnsSnapshot} from '../../../../src/cluster/network/dns/dns-snapshot.js'

export function clusterSnapshot(): ClusterDnsSnapshot {
  return {
    namespaces: ['default', 'kube-system', 'quiet'],
    services: [
      {namespace: 'kube-system', name: 'kube-dns', type: 'ClusterIP', clusterIPs: ['10.96.0.10'], headless: false,
        ports: [{name: 'dns', port: 53, protocol: 'UDP'}, {name: 'dns-tcp', port: 53, protocol: 'TCP'}]},
      {namespace: 'default', name: 'web', type: 'ClusterIP', clusterIPs: ['10.96.0.20'], headless: false,
        ports: [{name: 'http', port: 80, protocol: 'TCP'}, {port: 8080, protocol: 'TCP'}]},
      {namespace: 'default', name: 'db', type: 'ClusterIP', clusterIPs: [], headless: true, ports: [{name: 'mysql', port: 3306, protocol: 'TCP'}]},
      {namespace: 'default', name: 'empty', type: 'ClusterIP', clusterIPs: [], headless: true, ports: [{name: 'x', port: 1, protocol: 'TCP'}]},
      {namespace: 'default', name: 'bare', type: 'ClusterIP', clusterIPs: [], headless: true, ports: []},
      {namespace: 'default', name: 'ext', type: 'ExternalName', clusterIPs: [], headless: false, externalName: 'example.com', ports: []},
      {namespace: 'default', name: 'alias', type: 'ExternalName', clusterIPs: [], headless: false, externalName: 'web.default.svc.cluster.local.', ports: []},
      {namespace: 'default', name: 'byip', type: 'ExternalName', clusterIPs: [], headless: false, externalName: '192.0.2.1', ports: []},
      {namespace: 'default', name: 'six', type: 'ClusterIP', clusterIPs: ['fd00:0::20'], headless: false, ports: [{port: 80, protocol: 'TCP'}]},
    ],
    endpoints: [
      {namespace: 'default', service: 'web', addresses: [{ip: '10.244.0.10'}], ports: [{name: 'http', port: 8080, protocol: 'TCP'}]},
      {namespace: 'default', service: 'db', ports: [{name: 'mysql', port: 13306, protocol: 'TCP'}], addresses: [
        {ip: '10.244.0.5', hostname: 'db-0', podName: 'db-0'},
        {ip: '10.244.0.6', podName: 'db-1'},
        {ip: '10.244.0.7', podName: 'loose'},
      ]},
      {namespace: 'default', service: 'bare', addresses: [{ip: '10.244.0.9'}], ports: []},
    ],
    pods: [
      {namespace: 'default', name: 'db-1', ips: ['10.244.0.6'], hostname: 'db-1', subdomain: 'db'},
      {namespace: 'default', name: 'loose', ips: ['10.244.0.7'], hostname: 'loose', subdomain: 'other'},
    ],
  }
}
