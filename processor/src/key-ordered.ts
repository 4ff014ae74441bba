/**
 * Runs the messages of one partition's batch with `concurrency` workers, keeping the order of
 * the messages that share a key: requests about one entity are applied one after the other,
 * requests about different entities at once. Resolves once every message is done; rejects with
 * the first failure once the others have settled (a failed key stops there, so nothing after it
 * runs out of order).
 */
export async function runInKeyOrder<M extends { key: Buffer | null }>(
  messages: readonly M[],
  concurrency: number,
  run: (message: M) => Promise<void>
): Promise<void> {
  const byKey = new Map<string, M[]>()
  const lanes: M[][] = []
  for (const message of messages) {
    // A message without a key has no order to keep: a lane of its own.
    if (message.key === null) {
      lanes.push([message])
      continue
    }
    const key = message.key.toString('latin1')
    let lane = byKey.get(key)
    if (!lane) {
      lane = []
      byKey.set(key, lane)
      lanes.push(lane)
    }
    lane.push(message)
  }

  let next = 0
  let failure: { err: unknown } | undefined
  const worker = async () => {
    while (next < lanes.length && !failure) {
      const lane = lanes[next++] as M[]
      for (const message of lane) {
        try {
          await run(message)
        } catch (err) {
          failure ??= { err }
          return
        }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, lanes.length) }, worker))
  if (failure) throw failure.err
}
