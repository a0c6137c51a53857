/**
 * Finding a Java runtime able to run DynamoDB Local (which needs Java 17 or newer).
 */
import { execFile } from 'node:child_process'
import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import { DdbmError, messageOf } from '../errors.js'

/** Oldest Java major version DynamoDB Local runs on. */
export const MIN_JAVA_MAJOR = 17

const JAVA_BIN = process.platform === 'win32' ? 'java.exe' : 'java'

/**
 * Path of a Java 17+ executable: `$JAVA_HOME/bin/java` when JAVA_HOME is set (a broken JAVA_HOME is an
 * error, not a silent fallback to PATH), else the first `java` on PATH. Runs `java -version` to check that
 * it starts and is new enough; throws DdbmError JAVA_MISSING saying what to install otherwise.
 */
export async function findJava(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const javaHome = env.JAVA_HOME?.trim()
  let java: string | undefined
  if (javaHome) {
    java = join(javaHome, 'bin', JAVA_BIN)
    if (!(await isExecutable(java))) {
      throw missing(`JAVA_HOME is set to ${javaHome}, but ${java} is not an executable file.`, {
        javaHome,
      })
    }
  } else {
    java = await whichOnPath(JAVA_BIN, env.PATH ?? '')
    if (java === undefined) {
      throw missing(
        `DynamoDB Local (the embedded engine) needs Java ${MIN_JAVA_MAJOR}+, but no \`java\` is on PATH and JAVA_HOME is not set.`,
      )
    }
  }
  let output: string
  try {
    output = await javaVersionOutput(java, env)
  } catch (err) {
    throw missing(
      `${java} does not run (\`java -version\` failed: ${messageOf(err)}).`,
      { java },
      err,
    )
  }
  const major = parseJavaMajor(output)
  if (major === undefined) {
    throw missing(
      `Could not read the Java version from \`${java} -version\`: ${firstLine(output)}`,
      {
        java,
      },
    )
  }
  if (major < MIN_JAVA_MAJOR) {
    throw missing(
      `${java} is Java ${major}; DynamoDB Local (the embedded engine) needs Java ${MIN_JAVA_MAJOR}+.`,
      { java, major },
    )
  }
  return java
}

/**
 * Major version from `java -version` output: `openjdk version "17.0.15"` → 17, `java version "1.8.0_291"`
 * → 8, `openjdk version "21" 2023-09-19` → 21. Undefined when no version string is found.
 */
export function parseJavaMajor(output: string): number | undefined {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(output)
  if (!m?.[1]) return undefined
  const first = Number(m[1])
  return first === 1 && m[2] !== undefined ? Number(m[2]) : first
}

function javaVersionOutput(java: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(java, ['-version'], { env, timeout: 15_000 }, (err, stdout, stderr) => {
      if (err) reject(err)
      else resolve(`${stderr}\n${stdout}`) // the JVM prints its version on stderr
    })
  })
}

async function whichOnPath(bin: string, pathVar: string): Promise<string | undefined> {
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, bin)
    if (await isExecutable(candidate)) return candidate
  }
  return undefined
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK)
    return (await stat(file)).isFile()
  } catch {
    return false
  }
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? ''
}

function missing(message: string, details?: Record<string, unknown>, cause?: unknown): DdbmError {
  return new DdbmError(
    'JAVA_MISSING',
    message,
    details,
    cause === undefined ? undefined : { cause },
  )
}
