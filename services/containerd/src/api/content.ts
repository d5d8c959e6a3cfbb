import type { containerd } from '@berth/proto';
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { ContainerdError, invalidArgument } from '../core/errdefs';
import type { IngestStatus } from '../core/content/local';
import type { ContentInfo, ContentStore, NamespacedWriter } from '../core/metadata/content';
import { contextOf, EMPTY, failStream, namespaced, pathsOf, streaming, toTimestamp } from './grpc';

type Req = containerd.services.content.v1.WriteContentRequest__Output;
const READ_CHUNK = 1 << 20;
const LIST_BATCH = 100;

const infoToMsg = (i: ContentInfo) => ({
  digest: i.digest,
  size: i.size,
  created_at: toTimestamp(i.createdAt),
  updated_at: toTimestamp(i.updatedAt),
  labels: i.labels,
});

const statusToMsg = (s: IngestStatus) => ({
  ref: s.ref,
  offset: s.offset,
  total: s.total,
  expected: s.expected,
  started_at: toTimestamp(s.startedAt),
  updated_at: toTimestamp(s.updatedAt),
});

/** One Write stream: upstream's protocol of STAT / WRITE / COMMIT messages on one ref. */
async function writeSession(
  store: ContentStore,
  call: ServerDuplexStream<Req, unknown>,
): Promise<void> {
  const ctx = contextOf(call.metadata);
  let writer: NamespacedWriter | undefined;
  let total = 0;
  let expected = '';
  try {
    // destroyOnReturn: false — leaving the loop must not destroy the call before its status is sent.
    for await (const msg of call.iterator({ destroyOnReturn: false }) as AsyncIterable<Req>) {
      if (!writer) {
        if (msg.ref === '') throw invalidArgument('first message must have a reference');
        writer = await store.writer(ctx, msg.ref, Number(msg.total), msg.expected);
      }
      if (msg.expected) expected = msg.expected;
      if (Number(msg.total) > 0) total = Number(msg.total);
      const ws = writer.status();
      const res = {
        action: msg.action,
        started_at: toTimestamp(ws.startedAt),
        updated_at: toTimestamp(ws.updatedAt),
        total: total || ws.total,
        offset: ws.offset,
        digest: '',
      };
      if (msg.action !== 'STAT') {
        const offset = Number(msg.offset);
        if (offset > 0 && offset !== ws.offset) {
          throw new ContainerdError(
            'OutOfRange',
            `write @${offset} must occur at current offset ${ws.offset}`,
          );
        }
        if (offset === 0 && ws.offset > 0) {
          await writer.truncate(0);
          res.offset = 0;
        }
        if (msg.data.length > 0) {
          await writer.write(msg.data);
          res.offset += msg.data.length;
        }
        if (msg.action === 'COMMIT') {
          res.digest = await writer.commit(total, expected, msg.labels);
        }
      }
      call.write(res);
      if (msg.action === 'COMMIT') break;
    }
    call.end();
  } finally {
    await writer?.close();
  }
}

export function contentService(
  store: ContentStore,
): containerd.services.content.v1.ContentHandlers {
  return {
    Info: namespaced((ctx, req) => ({ info: infoToMsg(store.info(ctx, req.digest)) })),
    Update: namespaced((ctx, req) => {
      const info = { digest: req.info?.digest ?? '', labels: req.info?.labels ?? {} };
      return { info: infoToMsg(store.update(ctx, info, pathsOf(req.update_mask))) };
    }),
    List: streaming((req, write, call) => {
      const infos = store.list(contextOf(call.metadata), req.filters).map(infoToMsg);
      for (let i = 0; i < infos.length; i += LIST_BATCH)
        write({ info: infos.slice(i, i + LIST_BATCH) });
    }),
    Delete: namespaced((ctx, req) => {
      store.delete(ctx, req.digest);
      return EMPTY;
    }),
    Read: streaming(async (req, write, call) => {
      const start = Number(req.offset);
      const blob = store.read(contextOf(call.metadata), req.digest, start, Number(req.size));
      // Most reads are of a manifest or a config: answered in one message, no stream.
      if (Buffer.isBuffer(blob)) {
        if (blob.length > 0) write({ offset: start, data: blob });
        return;
      }
      let offset = start;
      blob.pause();
      for await (const chunk of blob as AsyncIterable<Buffer>) {
        for (let i = 0; i < chunk.length; i += READ_CHUNK) {
          const data = chunk.subarray(i, i + READ_CHUNK);
          write({ offset, data });
          offset += data.length;
        }
      }
    }),
    Status: namespaced(async (ctx, req) => ({
      status: statusToMsg(await store.status(ctx, req.ref)),
    })),
    ListStatuses: namespaced(async (ctx, req) => ({
      statuses: (await store.listStatuses(ctx, req.filters)).map(statusToMsg),
    })),
    Write: (call: ServerDuplexStream<Req, unknown>) => {
      writeSession(store, call).catch((err: unknown) => failStream(call, err));
    },
    Abort: namespaced(async (ctx, req) => {
      await store.abort(ctx, req.ref);
      return EMPTY;
    }),
  };
}
