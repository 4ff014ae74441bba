import type { TestContext } from 'node:test'

const stacks = new WeakMap<TestContext, Array<() => unknown>>()

/**
 * Registers a clean-up step for the end of the test. Steps run last-registered first, so a
 * client opened before a resource is closed after that resource has been removed through it
 * (node:test runs its own `t.after` hooks first-registered first).
 */
export function defer(t: TestContext, step: () => unknown): void {
  let steps = stacks.get(t)
  if (!steps) {
    const registered: Array<() => unknown> = []
    stacks.set(t, registered)
    steps = registered
    t.after(
      async () => {
        const errors: unknown[] = []
        for (const run of registered.reverse()) {
          try {
            await run()
          } catch (err) {
            errors.push(err)
          }
        }
        if (errors.length > 0) throw new AggregateError(errors, 'clean-up failed')
      },
      { timeout: 60_000 }
    )
  }
  steps.push(step)
}
