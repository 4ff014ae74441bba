import { createReadStream } from 'node:fs'
import { mkdir, open, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import { createInterface } from 'node:readline'
import type { IndexAction } from './documents.ts'

/** One line of the fallback file: a document with its index and id, as the bulk API takes it. */
export const spoolLine = (action: IndexAction): string =>
  JSON.stringify({ index: action.index, id: action.id, document: action.document }) + '\n'

function parseLine(line: string): IndexAction | undefined {
  try {
    const value = JSON.parse(line) as Partial<IndexAction>
    if (typeof value.index === 'string' && typeof value.id === 'string' && value.document) {
      return value as IndexAction
    }
  } catch {}
  return undefined
}

/**
 * The fallback file: NDJSON, one document a line. `append` returns once the lines are on disk
 * (fsync), so offsets may be committed after it. Only one writer at a time uses it (the
 * indexer's flush loop), so appends, replays and clears never interleave.
 */
export async function openSpool(path: string) {
  await mkdir(dirname(path), { recursive: true })
  const file: FileHandle = await open(path, 'a+')
  // A new file is durable only once its directory entry is: sync the directory too.
  const directory = await open(dirname(path), 'r')
  await directory.sync().finally(() => directory.close())
  let count = 0
  let size = 0

  // A crash in the middle of an append can leave a partial last line: its batch was never
  // acknowledged (no fsync returned, no offset committed), so Kafka delivers it again. Drop it.
  {
    const { size: length } = await file.stat()
    let lastNewline = -1
    const chunk = Buffer.alloc(64 * 1024)
    for (let position = 0; position < length;) {
      const { bytesRead } = await file.read(chunk, 0, chunk.length, position)
      if (bytesRead === 0) break
      for (let i = 0; i < bytesRead; i++) {
        if (chunk[i] === 0x0a) {
          count++
          lastNewline = position + i
        }
      }
      position += bytesRead
    }
    size = lastNewline + 1
    if (size < length) {
      await file.truncate(size)
      await file.sync()
    }
  }

  return {
    path,
    /** Documents waiting in the file. */
    get count(): number {
      return count
    },

    /** Appends the documents and waits until the file is on disk. */
    async append(actions: IndexAction[]): Promise<void> {
      if (actions.length === 0) return
      const text = actions.map(spoolLine).join('')
      await file.appendFile(text)
      await file.sync()
      count += actions.length
      size += Buffer.byteLength(text)
    },

    /** Reads the documents back in chunks of at most `maxDocs` documents and `maxBytes` bytes. */
    async *read(maxDocs: number, maxBytes: number): AsyncGenerator<IndexAction[]> {
      if (size === 0) return
      const lines = createInterface({
        input: createReadStream(path, { start: 0, end: size - 1, encoding: 'utf8' }),
        crlfDelay: Infinity
      })
      let chunk: IndexAction[] = []
      let bytes = 0
      for await (const line of lines) {
        if (line.length === 0) continue
        const action = parseLine(line)
        if (!action) continue
        chunk.push(action)
        bytes += line.length
        if (chunk.length >= maxDocs || bytes >= maxBytes) {
          yield chunk
          chunk = []
          bytes = 0
        }
      }
      if (chunk.length > 0) yield chunk
    },

    /** Empties the file once everything in it is in Elasticsearch. */
    async clear(): Promise<void> {
      await file.truncate(0)
      await file.sync()
      count = 0
      size = 0
    },

    async close(): Promise<void> {
      await file.close()
    }
  }
}

export type Spool = Awaited<ReturnType<typeof openSpool>>
