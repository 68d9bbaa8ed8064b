import type {Service, ServicePort} from 'kubernetes-types/core/v1.js'
import {describe, expect, it} from 'vitest'
import {envVariableName, envVarsFromServices, serviceEnvVarMap, withServiceEnv} from '../../../src/cluster/network/service-env.js'

const svc = (namespace: string, name: string, clusterIP: string, ports: ServicePort[]): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {namespace, name},
  spec: {clusterIP, ports},
})

const kubernetes = svc('default', 'kubernetes', '10.200.128.1', [{name: 'https', port: 443, protocol: 'TCP', targetPort: 6443}])
const KUBERNETES_ENV = {
  KUBERNETES_SERVICE_HOST: '10.200.128.1',
  KUBERNETES_SERVICE_PORT: '443',
  KUBERNETES_SERVICE_PORT_HTTPS: '443',
  KUBERNETES_PORT: 'tcp://10.200.128.1:443',
  KUBERNETES_PORT_443_TCP: 'tcp://10.200.128.1:443',
  KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
  KUBERNETES_PORT_443_TCP_PORT: '443',
  KUBERNETES_PORT_443_TCP_ADDR: '10.200.128.1',
}

describe('envVarsFromServices', () => {
  it('writes host, first port, named ports, then the Docker link variables of every port, in that order', () => {
    const web = svc('shop', 'web-front', '10.200.128.23', [
      {port: 80, targetPort: 8080},
      {name: 'dns-udp', port: 53, protocol: 'UDP'},
      {name: 'metrics', port: 9090, protocol: 'SCTP'},
    ])
    expect(envVarsFromServices([web])).toEqual([
      {name: 'WEB_FRONT_SERVICE_HOST', value: '10.200.128.23'},
      {name: 'WEB_FRONT_SERVICE_PORT', value: '80'},
      {name: 'WEB_FRONT_SERVICE_PORT_DNS_UDP', value: '53'},
      {name: 'WEB_FRONT_SERVICE_PORT_METRICS', value: '9090'},
      {name: 'WEB_FRONT_PORT', value: 'tcp://10.200.128.23:80'},
      {name: 'WEB_FRONT_PORT_80_TCP', value: 'tcp://10.200.128.23:80'},
      {name: 'WEB_FRONT_PORT_80_TCP_PROTO', value: 'tcp'},
      {name: 'WEB_FRONT_PORT_80_TCP_PORT', value: '80'},
      {name: 'WEB_FRONT_PORT_80_TCP_ADDR', value: '10.200.128.23'},
      {name: 'WEB_FRONT_PORT_53_UDP', value: 'udp://10.200.128.23:53'},
      {name: 'WEB_FRONT_PORT_53_UDP_PROTO', value: 'udp'},
      {name: 'WEB_FRONT_PORT_53_UDP_PORT', value: '53'},
      {name: 'WEB_FRONT_PORT_53_UDP_ADDR', value: '10.200.128.23'},
      {name: 'WEB_FRONT_PORT_9090_SCTP', value: 'sctp://10.200.128.23:9090'},
      {name: 'WEB_FRONT_PORT_9090_SCTP_PROTO', value: 'sctp'},
      {name: 'WEB_FRONT_PORT_9090_SCTP_PORT', value: '9090'},
      {name: 'WEB_FRONT_PORT_9090_SCTP_ADDR', value: '10.200.128.23'},
    ])
  })

  it('gives a first port that is UDP the udp scheme in <SVC>_PORT', () => {
    const dns = svc('kube-system', 'kube-dns', '10.200.128.10', [{name: 'dns', port: 53, protocol: 'UDP'}, {name: 'dns-tcp', port: 53, protocol: 'TCP'}])
    const env = Object.fromEntries(envVarsFromServices([dns]).map((v) => [v.name, v.value]))
    expect(env.KUBE_DNS_PORT).toBe('udp://10.200.128.10:53')
    expect(env.KUBE_DNS_SERVICE_PORT).toBe('53')
    expect(env.KUBE_DNS_PORT_53_TCP).toBe('tcp://10.200.128.10:53')
  })

  it('skips headless Services and Services without a ClusterIP yet', () => {
    expect(envVarsFromServices([svc('a', 'headless', 'None', [{port: 80}]), svc('a', 'pending', '', [{port: 80}]), {metadata: {name: 'bare'}}])).toEqual([])
  })

  it('names variables in upper case with dashes turned into underscores', () => {
    expect(envVariableName('my-svc-2')).toBe('MY_SVC_2')
  })
})

describe('serviceEnvVarMap', () => {
  const redis = svc('shop', 'redis', '10.200.128.40', [{port: 6379}])
  const other = svc('elsewhere', 'redis', '10.200.128.41', [{port: 6379}])
  const redisEnv = {
    REDIS_SERVICE_HOST: '10.200.128.40',
    REDIS_SERVICE_PORT: '6379',
    REDIS_PORT: 'tcp://10.200.128.40:6379',
    REDIS_PORT_6379_TCP: 'tcp://10.200.128.40:6379',
    REDIS_PORT_6379_TCP_PROTO: 'tcp',
    REDIS_PORT_6379_TCP_PORT: '6379',
    REDIS_PORT_6379_TCP_ADDR: '10.200.128.40',
  }

  it("gives a pod its namespace's Services and the kubernetes Service, and nothing from other namespaces", () => {
    const env = serviceEnvVarMap([redis, other, kubernetes, svc('default', 'web', '10.200.128.50', [{port: 80}])], {namespace: 'shop'})
    expect(Object.fromEntries(env)).toEqual({...KUBERNETES_ENV, ...redisEnv})
  })

  it('orders Services by name, each in FromServices order', () => {
    const env = serviceEnvVarMap([redis, kubernetes], {namespace: 'shop'})
    expect([...env.keys()]).toEqual([...Object.keys(KUBERNETES_ENV), ...Object.keys(redisEnv)])
  })

  it('keeps only the kubernetes Service when enableServiceLinks is false', () => {
    expect(Object.fromEntries(serviceEnvVarMap([redis, kubernetes], {namespace: 'shop', enableServiceLinks: false}))).toEqual(KUBERNETES_ENV)
  })

  it("gives a pod in default every Service of default, the kubernetes one even without service links", () => {
    const web = svc('default', 'web', '10.200.128.50', [{port: 80}])
    expect([...serviceEnvVarMap([web, kubernetes], {namespace: 'default'}).keys()]).toContain('WEB_SERVICE_HOST')
    expect(Object.fromEntries(serviceEnvVarMap([web, kubernetes], {namespace: 'default', enableServiceLinks: false}))).toEqual(KUBERNETES_ENV)
  })

  it("lets a Service named kubernetes in the pod's namespace win over default's, whatever the order", () => {
    const own = svc('shop', 'kubernetes', '10.200.128.99', [{port: 8443}])
    for (const list of [[kubernetes, own], [own, kubernetes]]) {
      const env = serviceEnvVarMap(list, {namespace: 'shop'})
      expect(env.get('KUBERNETES_SERVICE_HOST')).toBe('10.200.128.99')
      expect(env.get('KUBERNETES_SERVICE_PORT')).toBe('8443')
      expect(env.has('KUBERNETES_SERVICE_PORT_HTTPS')).toBe(false)
    }
    expect(serviceEnvVarMap([own, kubernetes], {namespace: 'shop', enableServiceLinks: false}).get('KUBERNETES_SERVICE_HOST')).toBe('10.200.128.1')
  })

  it('gives nothing when there is no Service', () => {
    expect(serviceEnvVarMap([], {namespace: 'shop'}).size).toBe(0)
  })
})

describe('withServiceEnv', () => {
  it("keeps the container's own variables, in order and with their values, then adds the Service ones it lacks", () => {
    const container = new Map([
      ['REDIS_SERVICE_HOST', 'my-redis.example'],
      ['MODE', 'prod'],
    ])
    const service = new Map([
      ['KUBERNETES_SERVICE_HOST', '10.200.128.1'],
      ['REDIS_SERVICE_HOST', '10.200.128.40'],
      ['REDIS_SERVICE_PORT', '6379'],
    ])
    expect([...withServiceEnv(container, service)]).toEqual([
      ['REDIS_SERVICE_HOST', 'my-redis.example'],
      ['MODE', 'prod'],
      ['KUBERNETES_SERVICE_HOST', '10.200.128.1'],
      ['REDIS_SERVICE_PORT', '6379'],
    ])
  })
})
