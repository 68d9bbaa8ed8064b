// Runs one command class in this process, capturing stdout, stderr and the exit code, the way the
// CLI would produce them (oclif's ExitError carries the code of a failed command).
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {Command} from '@oclif/core'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

export interface CommandOutput {
  stdout: string
  stderr: string
  exitCode: number
  result?: unknown
}

type CommandClass = {run(argv: string[], root: string): Promise<unknown>} & Pick<typeof Command, 'id'>

export async function runCommand(command: CommandClass, argv: string[]): Promise<CommandOutput> {
  let stdout = ''
  let stderr = ''
  const out = process.stdout.write.bind(process.stdout)
  const err = process.stderr.write.bind(process.stderr)
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write
  const previous = process.exitCode
  process.exitCode = undefined
  let exitCode = 0
  let result: unknown
  try {
    result = await command.run(argv, root)
    exitCode = Number(process.exitCode ?? 0)
  } catch (error) {
    const oclif = (error as {oclif?: {exit?: number}}).oclif
    if (oclif?.exit === undefined) throw error
    exitCode = oclif.exit
  } finally {
    process.stdout.write = out
    process.stderr.write = err
    process.exitCode = previous
  }
  return {stdout, stderr, exitCode, result}
}
