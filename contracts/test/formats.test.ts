import assert from 'node:assert/strict'
import { test } from 'node:test'
import Value from 'typebox/value'
import { ShortText } from '../src/fields.ts'
import { isPrintableText } from '../src/formats.ts'

test('printable text: words in any script, emoji, tabs and line breaks', () => {
  for (const value of ['Maria Souza', 'Ação', '東京', '😀 ok', 'linha 1\nlinha 2\r\n\tfim']) {
    assert.equal(isPrintableText(value), true, JSON.stringify(value))
  }
})

test('not printable: NUL and other control characters, DEL, lone surrogates', () => {
  for (const value of [
    'a\u0000b',
    '\u0007',
    'x\u001b[31m',
    '\u007f',
    '\ud800',
    'x\udc00',
    'a\ud83d'
  ]) {
    assert.equal(isPrintableText(value), false, JSON.stringify(value))
  }
})

test('ShortText fields check it, as the processor decodes them', () => {
  const nome = ShortText('full name')
  assert.equal(Value.Check(nome, "Robert'); DROP TABLE usuarios; --"), true)
  assert.equal(Value.Check(nome, 'Ana\u0000'), false)
})
