// What the streaming endpoints (pods/exec, pods/attach, pods/portforward) need from a container
// runtime: a process with pipes, the container's own output, and a byte stream to a pod port.
import type {Duplex, Readable, Writable} from 'node:stream'

export interface ExecRequest {
  namespace: string
  pod: string
  podUid: string
  container: string
  command: string[]
  stdin: boolean
  stdout: boolean
  stderr: boolean
  tty: boolean
}

export interface ExecProcess {
  stdin?: Writable
  stdout?: Readable
  stderr?: Readable
  /** The client's terminal changed size (tty only). */
  resize?(cols: number, rows: number): void
  /** The exit code once the process (or, for attach, the container) ends. */
  exit: Promise<number>
  /** The client went away: stop the process (attach: detach only). */
  kill(): void
}

export interface PortForwardTarget {
  namespace: string
  pod: string
  podUid: string
  port: number
}

export interface StreamRuntime {
  /** Start `command` in the container. */
  exec(req: ExecRequest): Promise<ExecProcess>
  /** Connect to the container's main process. */
  attach(req: Omit<ExecRequest, 'command'>): Promise<ExecProcess>
  /** A TCP-like duplex to the pod's port (Docker: podIP:port). */
  portForward(target: PortForwardTarget): Promise<Duplex>
}
