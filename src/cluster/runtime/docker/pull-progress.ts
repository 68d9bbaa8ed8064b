// Folds the engine's per-layer pull messages (Pulling fs layer, Downloading with progressDetail,
// Already exists, Pull complete) into one summary the agent can put in an event: how many layers
// are done and how many bytes of the known layer sizes have arrived.
import type {PullProgress} from '../runtime.js'

export interface EngineProgressMessage {
  status?: string
  id?: string
  progressDetail?: {current?: number; total?: number}
}

interface LayerState {
  done: boolean
  current: number
  total: number
}

const DONE_STATUSES = new Set(['Already exists', 'Pull complete'])
// Layer-level messages carry the layer's short id; the others (the tag line, "Digest:", "Status:") are about the image.
const LAYER_STATUSES = new Set(['Pulling fs layer', 'Waiting', 'Downloading', 'Verifying Checksum', 'Download complete', 'Extracting', ...DONE_STATUSES])

export class PullProgressTracker {
  private readonly layers = new Map<string, LayerState>()

  /** Takes one engine message; returns the summary after it. */
  add(message: EngineProgressMessage): PullProgress {
    const {status = '', id} = message
    if (id && LAYER_STATUSES.has(status)) {
      const layer = this.layers.get(id) ?? {done: false, current: 0, total: 0}
      if (DONE_STATUSES.has(status)) layer.done = true
      else if (status === 'Downloading') {
        layer.current = message.progressDetail?.current ?? layer.current
        layer.total = message.progressDetail?.total ?? layer.total
      } else if (status === 'Download complete' || status === 'Verifying Checksum') layer.current = layer.total
      this.layers.set(id, layer)
    }
    return this.summary()
  }

  summary(): PullProgress {
    let layersDone = 0
    let downloadedBytes = 0
    let totalBytes = 0
    for (const layer of this.layers.values()) {
      if (layer.done) layersDone++
      downloadedBytes += layer.done ? layer.total : layer.current
      totalBytes += layer.total
    }
    return {layers: this.layers.size, layersDone, downloadedBytes, totalBytes}
  }
}
