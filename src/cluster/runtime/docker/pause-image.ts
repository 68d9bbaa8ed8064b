// The pod sandbox image, made on this engine by `docker import` of the static pause binary that ships
// in assets/pause: kcluster never needs a registry for its own images.
import {existsSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import type Dockerode from 'dockerode'
import {DockerRuntimeError, engineStatus} from './errors.js'
import {singleFileTar} from './single-file-tar.js'

/** Bump with every change to assets/pause/pause.c so engines that hold the old image import the new one. */
export const PAUSE_VERSION = '1'
export const PAUSE_IMAGE = `kcluster/pause:${PAUSE_VERSION}`

const ARCH: Partial<Record<NodeJS.Architecture, string>> = {x64: 'amd64', arm64: 'arm64'}

/** assets/pause/pause-linux-<arch>, found from src/ and from dist/ alike (both sit four levels below the package root). */
export function pauseBinaryPath(arch: NodeJS.Architecture = process.arch): string {
  const goArch = ARCH[arch]
  if (!goArch) throw new DockerRuntimeError(`no pause binary for architecture ${arch}`, 'PauseImageError')
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..')
  return join(root, 'assets', 'pause', `pause-linux-${goArch}`)
}

export async function pauseImagePresent(docker: Dockerode, image = PAUSE_IMAGE): Promise<boolean> {
  try {
    await docker.getImage(image).inspect()
    return true
  } catch (error) {
    if (engineStatus(error) === 404) return false
    throw error
  }
}

export interface PauseImageOptions {
  /** Another name, for tests that must not touch the image real clusters share. */
  image?: string
  binaryPath?: string
}

/** Imports the pause image unless the engine has it already (checked by tag). Says whether it imported. */
export async function ensurePauseImage(docker: Dockerode, options: PauseImageOptions = {}): Promise<boolean> {
  const image = options.image ?? PAUSE_IMAGE
  const binaryPath = options.binaryPath ?? pauseBinaryPath()
  if (await pauseImagePresent(docker, image)) return false
  if (!existsSync(binaryPath)) {
    throw new DockerRuntimeError(`the pause binary ${binaryPath} is missing; run assets/pause/build.sh`, 'PauseImageError')
  }
  const tar = singleFileTar('pause', readFileSync(binaryPath))
  const colon = image.lastIndexOf(':')
  const [repo, tag] = [image.slice(0, colon), image.slice(colon + 1)]
  try {
    const stream = await docker.importImage(tar as unknown as NodeJS.ReadableStream, {repo, tag, changes: ['CMD ["/pause"]']} as object)
    await followToEnd(docker, stream)
  } catch (error) {
    throw new DockerRuntimeError(`import ${image}: ${(error as Error).message}`, 'PauseImageError', {cause: error})
  }
  return true
}

/** Consumes a progress stream; an `error` message inside the stream is a failure even on HTTP 200. */
export function followToEnd(docker: Dockerode, stream: NodeJS.ReadableStream, onProgress?: (event: {status?: string}) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, events: Array<{error?: string}>) => {
        const failed = error ?? events?.find((e) => e.error)?.error
        if (failed) reject(failed instanceof Error ? failed : new Error(failed))
        else resolve()
      },
      onProgress,
    )
  })
}
