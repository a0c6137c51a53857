import { at, keySchemas, q, rule } from './rule.js'

/** Each key schema has a HASH element first and at most one RANGE element, on another attribute. */
export const keySchemaShape = rule((table, add) => {
  for (const { base, keys } of keySchemas(table)) {
    const path = at(base, 'KeySchema')
    const [first, second] = keys
    if (first === undefined) {
      const hint = 'add { "AttributeName": "PK", "KeyType": "HASH" }'
      add(path, 'is empty; a key schema needs a HASH element', hint)
    } else if (keys.length > 2) {
      const message = `has ${keys.length} elements; a key schema has 1 (HASH) or 2 (HASH, RANGE)`
      add(path, message, 'keep one HASH element and at most one RANGE element')
    } else if (first.KeyType === 'RANGE' && second?.KeyType === 'HASH') {
      const hint = 'swap the two elements: the HASH element comes first'
      add(path, 'lists the RANGE element before the HASH element', hint)
    } else {
      if (first.KeyType !== 'HASH') {
        const message = `${q(first.KeyType)} must be "HASH": the first element is the partition key`
        add(`${path}[0].KeyType`, message, 'set "KeyType": "HASH" (a sort key comes second)')
      }
      if (second !== undefined && second.KeyType !== 'RANGE') {
        const message = `${q(second.KeyType)} must be "RANGE": a key has one HASH element`
        add(`${path}[1].KeyType`, message, 'set "KeyType": "RANGE" on the second element')
      }
      if (second !== undefined && second.AttributeName === first.AttributeName) {
        const message = `${q(second.AttributeName)} is already the HASH element of this key`
        add(`${path}[1].AttributeName`, message, 'use another attribute as the RANGE key')
      }
    }
  }
})

/** Every key attribute of the table and its indexes is in AttributeDefinitions. */
export const keyAttributesDefined = rule((table, add) => {
  const defined = new Set(table.AttributeDefinitions.map((d) => d.AttributeName))
  for (const { base, keys } of keySchemas(table)) {
    keys.forEach((k, i) => {
      if (defined.has(k.AttributeName)) return
      const entry = `{ "AttributeName": ${q(k.AttributeName)}, "AttributeType": "S" }`
      const hint = `add ${entry} to AttributeDefinitions ("N" for a number, "B" for binary)`
      const message = `${q(k.AttributeName)} is not in AttributeDefinitions`
      add(at(base, `KeySchema[${i}].AttributeName`), message, hint)
    })
  }
})

/** Every AttributeDefinitions entry is used by some key schema, as DynamoDB requires. */
export const noUnusedDefinitions = rule((table, add) => {
  const used = new Set(keySchemas(table).flatMap(({ keys }) => keys.map((k) => k.AttributeName)))
  const seen = new Set<string>()
  table.AttributeDefinitions.forEach((d, i) => {
    const repeated = seen.has(d.AttributeName)
    seen.add(d.AttributeName)
    if (repeated || used.has(d.AttributeName)) return
    const message = `${q(d.AttributeName)} is not used by any key schema; DynamoDB rejects unused definitions`
    const hint = 'remove this entry: only key attributes of the table and its indexes are defined'
    add(`AttributeDefinitions[${i}]`, message, hint)
  })
})

/** No attribute is defined twice in AttributeDefinitions. */
export const noDuplicateDefinitions = rule((table, add) => {
  const first = new Map<string, number>()
  table.AttributeDefinitions.forEach((d, i) => {
    const earlier = first.get(d.AttributeName)
    if (earlier === undefined) return void first.set(d.AttributeName, i)
    const message = `${q(d.AttributeName)} is already defined at AttributeDefinitions[${earlier}]`
    const hint = 'remove this entry: each attribute is defined once'
    add(`AttributeDefinitions[${i}].AttributeName`, message, hint)
  })
})
