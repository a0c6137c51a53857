import { ESLint } from 'eslint'
import { describe, expect, test } from 'vitest'

const eslint = new ESLint()

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message)
}

describe('the import-direction rule of STYLE.md', () => {
  test.each(
    [
      ['src/schema/probe.ts', "import { x } from '../dynamo/client.js'\nexport const y = x\n"],
      ['src/schema/probe.ts', "import { x } from '@aws-sdk/client-dynamodb'\nexport const y = x\n"],
      ['src/config/probe.ts', "import { x } from '../schema/rules.js'\nexport const y = x\n"],
      ['src/dynamo/probe.ts', "import { x } from '../config/load-config.js'\nexport const y = x\n"],
      ['src/api/probe.ts', "import { x } from '../cli/reporter.js'\nexport const y = x\n"],
      ['src/errors-probe.ts', ''],
    ].filter(([, code]) => code !== ''),
  )('refuses %s importing upwards: %s', async (file, code) => {
    expect(await restricted(file, code)).toHaveLength(1)
  })

  test('allows the downward direction', async () => {
    expect(
      await restricted(
        'src/api/probe.ts',
        "import { x } from '../config/load-config.js'\nexport const y = x\n",
      ),
    ).toStrictEqual([])
  })

  test('errors.ts is a leaf module', async () => {
    expect(
      await restricted('src/errors.ts', "import { x } from './events.js'\nexport const y = x\n"),
    ).toHaveLength(1)
  })
})
