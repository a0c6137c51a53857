#!/usr/bin/env node
import { hideBin } from 'yargs/helpers'
import { run } from './cli.js'
import { installInterrupts } from './interrupts.js'
import { Reporter } from './reporter.js'

// The SDK warns on every run that its releases after January 2027 need Node 22. ddbm pins its SDK version and
// targets Node 20, so the warning tells the user nothing they can act on; --verbose keeps it. Set before any
// client exists, which is why it reads the raw arguments rather than the parsed ones.
if (!process.argv.includes('--verbose'))
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
// Interrupts: the first SIGINT / SIGTERM stops a command that takes the signal at a safe point, a second
// one (or the first, for any other command) exits at once; exit hooks stop an engine the command started.
const reporter = new Reporter()
const interrupts = installInterrupts({
  notify: (message) => reporter.emit({ kind: 'log', level: 'warn', message }),
  force: (error) => process.exit(reporter.fatal(error)),
  stopsSafely: () => reporter.stopsSafely,
})
reporter.signal = interrupts.signal
process.exitCode = await run(hideBin(process.argv), reporter)
interrupts.dispose()
