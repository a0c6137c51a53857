import { expect, test } from 'vitest'
import { kindOfCommand } from '../../../../src/engine/backfill/throttle-watch.js'

test('kindOfCommand: reads, writes, and control-plane calls (not reported)', () => {
  const names = [
    'ScanCommand',
    'QueryCommand',
    'GetItemCommand',
    'BatchGetItemCommand',
    'TransactGetItemsCommand',
    'PutItemCommand',
    'UpdateItemCommand',
    'DeleteItemCommand',
    'BatchWriteItemCommand',
    'TransactWriteItemsCommand',
    'ExecuteStatementCommand',
    'DescribeTableCommand',
    'UpdateTableCommand',
    'Scan',
    'UpdateItem',
    undefined,
  ]
  expect(names.map((n) => [n, kindOfCommand(n)])).toStrictEqual([
    ['ScanCommand', 'read'],
    ['QueryCommand', 'read'],
    ['GetItemCommand', 'read'],
    ['BatchGetItemCommand', 'read'],
    ['TransactGetItemsCommand', 'read'],
    ['PutItemCommand', 'write'],
    ['UpdateItemCommand', 'write'],
    ['DeleteItemCommand', 'write'],
    ['BatchWriteItemCommand', 'write'],
    ['TransactWriteItemsCommand', 'write'],
    ['ExecuteStatementCommand', 'write'],
    ['DescribeTableCommand', undefined],
    ['UpdateTableCommand', undefined],
    ['Scan', 'read'],
    ['UpdateItem', 'write'],
    [undefined, undefined],
  ])
})
