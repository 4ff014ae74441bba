import assert from 'node:assert/strict'
import { test } from 'node:test'
import { cpfCheckDigits, isValidCpf } from '../src/cpf.ts'

test('known valid CPFs pass and a changed digit fails', () => {
  assert.equal(isValidCpf('52998224725'), true)
  assert.equal(isValidCpf('11144477735'), true)
  assert.equal(isValidCpf('52998224726'), false)
  assert.equal(isValidCpf('11144477705'), false)
})

test('wrong shapes and repeated digits are not CPFs', () => {
  for (const value of [
    '',
    '5299822472',
    '529982247250',
    '529.982.247-25',
    '00000000000',
    '99999999999'
  ]) {
    assert.equal(isValidCpf(value), false, value)
  }
})

test('check digits complete a base', () => {
  assert.deepEqual(cpfCheckDigits([5, 2, 9, 9, 8, 2, 2, 4, 7]), [2, 5])
})
