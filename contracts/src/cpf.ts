/** Brazilian CPF numbers: 11 digits, the last two are check digits of the first nine. */

function checkDigit(digits: readonly number[]): number {
  const weightStart = digits.length + 1
  const sum = digits.reduce((total, digit, index) => total + digit * (weightStart - index), 0)
  const rest = (sum * 10) % 11
  return rest === 10 ? 0 : rest
}

/** The two check digits that complete nine base digits. */
export function cpfCheckDigits(base: readonly number[]): [number, number] {
  if (base.length !== 9) throw new RangeError('a CPF base has 9 digits')
  const first = checkDigit(base)
  return [first, checkDigit([...base, first])]
}

/** True for 11 digits whose check digits match; sequences of one repeated digit are not valid CPFs. */
export function isValidCpf(value: string): boolean {
  if (!/^\d{11}$/.test(value) || /^(\d)\1{10}$/.test(value)) return false
  const digits = [...value].map(Number)
  const [first, second] = cpfCheckDigits(digits.slice(0, 9))
  return digits[9] === first && digits[10] === second
}
