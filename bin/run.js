#!/usr/bin/env node
import {execute, settings} from '@oclif/core'

// Always run the compiled commands in dist/, whatever NODE_ENV says (vitest sets it to "test").
settings.enableAutoTranspile = false
await execute({dir: import.meta.url})
