import { chars, q, rule } from './rule.js'

const TAG_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u
const TAG_CHARS_HINT = 'use only letters, digits, spaces and + - = . _ : / @'
/** Tags per table. */
export const MAX_TAGS = 50

/** At most 50 tags, with unique keys of 1-128 allowed characters not starting with "aws:", and values of at most 256. */
export const tags = rule((table, add) => {
  const list = table.Tags ?? []
  if (list.length > MAX_TAGS) {
    const message = `has ${list.length} tags; DynamoDB allows at most ${MAX_TAGS} per table`
    add('Tags', message, `remove ${list.length - MAX_TAGS}`)
  }
  const first = new Map<string, number>()
  list.forEach(({ Key: key, Value: value }, i) => {
    const keyLength = chars(key)
    const earlier = first.get(key)
    if (earlier === undefined) first.set(key, i)
    const path = `Tags[${i}].Key`
    if (keyLength < 1 || keyLength > 128) {
      const message = `${q(key)} is ${keyLength} characters long; tag keys are 1-128`
      add(path, message, keyLength < 1 ? 'give the tag a key' : 'shorten the key to 128 characters')
    } else if (key.toLowerCase().startsWith('aws:')) {
      const hint = `use a key without the prefix, e.g. ${q(key.slice(4) || 'Application')}`
      add(path, `${q(key)} starts with the reserved prefix "aws:"`, hint)
    } else if (!TAG_PATTERN.test(key)) {
      add(path, `${q(key)} has characters not allowed in tags`, TAG_CHARS_HINT)
    } else if (earlier !== undefined) {
      const hint = 'remove one of them: tag keys are unique'
      add(path, `${q(key)} is already used by Tags[${earlier}]`, hint)
    }
    const valueLength = chars(value)
    if (valueLength > 256) {
      const message = `is ${valueLength} characters long; tag values are at most 256`
      add(`Tags[${i}].Value`, message, 'shorten the value to 256 characters')
    } else if (!TAG_PATTERN.test(value)) {
      add(`Tags[${i}].Value`, `${q(value)} has characters not allowed in tags`, TAG_CHARS_HINT)
    }
  })
})
