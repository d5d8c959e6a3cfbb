// Encodes messages the ways services will (grpc-js serializers from the JSON bundle, and
// protoRoot() for ttrpc and Any) and checks the bytes against protobufjs encoding the same
// values from the upstream .proto definitions.
import type protobuf from 'protobufjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadGrpcPackage, packAny, protoRoot, unpackAny } from '../src/index';
import type { containerd, io, ProtoGrpcType } from '../src/index';
import { missingUpstreamFiles, parseUpstream } from './upstream-protos';

const upstreamAvailable = missingUpstreamFiles().length === 0;

function encode(root: protobuf.Root, type: string, value: object): Buffer {
  const message = root.lookupType(type);
  return Buffer.from(message.encode(message.fromObject(value)).finish());
}

const RUNC_OPTIONS: containerd.runc.v1.Options = {
  binary_name: 'crun',
  root: '/run/berth/crun',
  systemd_cgroup: true,
  io_uid: 1000,
};

const TIMESTAMP = { seconds: '1763895600', nanos: 123456789 };

const INFO_RESPONSE: containerd.services.content.v1.InfoResponse = {
  info: {
    digest: 'sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    // Above 2^53, to catch any lossy int64 handling.
    size: '9007199254740993',
    created_at: TIMESTAMP,
    labels: { 'containerd.io/gc.root': '2026-11-23T10:00:00Z', 'berth.dev/kind': 'layer' },
  },
};

function createTaskRequest(): containerd.task.v2.CreateTaskRequest {
  return {
    id: 'c1',
    bundle: '/run/berth/containerd/io.containerd.runtime.v2.task/default/c1',
    rootfs: [
      {
        type: 'overlay',
        source: 'overlay',
        options: ['index=off', 'lowerdir=/l2:/l1', 'upperdir=/u', 'workdir=/w'],
      },
    ],
    terminal: true,
    stdin: '/run/fifo/c1-stdin',
    options: packAny('containerd.runc.v1.Options', RUNC_OPTIONS),
  };
}

const CGROUP_V2_METRICS: io.containerd.cgroups.v2.Metrics = {
  pids: { current: '3', limit: '4096' },
  cpu: { usage_usec: '18446744073709551615', user_usec: '1', nr_throttled: '0' },
  memory: { anon: '4096', usage: '8192', usage_limit: '9223372036854771712' },
  io: { usage: [{ major: '8', minor: '0', rbytes: '512', wios: '2' }] },
  memory_events: { oom_kill: '1' },
};

describe('wire bytes', () => {
  let pkg: ProtoGrpcType;
  beforeAll(async () => {
    pkg = await loadGrpcPackage();
  });

  it('grpc-js serializers and protoRoot() agree, and decode back to the loader shape', () => {
    const info = pkg.containerd.services.content.v1.Content.service.Info;
    expect(info.path).toBe('/containerd.services.content.v1.Content/Info');
    const bytes = info.responseSerialize(INFO_RESPONSE);
    expect(bytes).toEqual(
      encode(protoRoot(), 'containerd.services.content.v1.InfoResponse', INFO_RESPONSE),
    );
    expect(info.responseDeserialize(bytes)).toEqual({
      info: { ...INFO_RESPONSE.info, updated_at: null },
    });
  });

  it('encodes enums and 64-bit values as strings with every default present', () => {
    const state = pkg.containerd.task.v2.Task.service.State;
    const decoded = state.responseDeserialize(
      state.responseSerialize({ id: 'c1', pid: 42, status: 'RUNNING', exited_at: TIMESTAMP }),
    );
    expect(decoded).toMatchObject({
      id: 'c1',
      pid: 42,
      status: 'RUNNING',
      exit_status: 0,
      stdin: '',
    });
    expect(decoded.exited_at).toEqual(TIMESTAMP);
  });

  it('unpackAny decodes to the grpc-js output shape, with or without a URL prefix', () => {
    const packed = packAny('containerd.events.TaskOOM', { container_id: 'c1' });
    expect(packed.type_url).toBe('containerd.events.TaskOOM');
    const prefixed = { ...packed, type_url: `type.googleapis.com/${packed.type_url}` };
    for (const any of [packed, prefixed]) {
      expect(unpackAny(any)).toEqual({
        typeName: 'containerd.events.TaskOOM',
        value: { container_id: 'c1' },
      });
    }
    expect(() => unpackAny({ type_url: 'containerd.events.Nope', value: Buffer.alloc(0) })).toThrow(
      /no such type/,
    );
  });

  describe.skipIf(!upstreamAvailable)('against protobufjs on the upstream .proto files', () => {
    let upstream: protobuf.Root;
    beforeAll(() => {
      upstream = parseUpstream();
    });

    it('containerd.services.content.v1.InfoResponse (gRPC)', () => {
      const ours =
        pkg.containerd.services.content.v1.Content.service.Info.responseSerialize(INFO_RESPONSE);
      expect(ours).toEqual(
        encode(upstream, 'containerd.services.content.v1.InfoResponse', INFO_RESPONSE),
      );
    });

    it('containerd.task.v2.CreateTaskRequest with a Mount and runc Options in an Any (ttrpc)', () => {
      const request = createTaskRequest();
      expect(packAny('containerd.runc.v1.Options', RUNC_OPTIONS).value).toEqual(
        encode(upstream, 'containerd.runc.v1.Options', RUNC_OPTIONS),
      );
      const ours = encode(protoRoot(), 'containerd.task.v2.CreateTaskRequest', request);
      expect(ours).toEqual(encode(upstream, 'containerd.task.v2.CreateTaskRequest', request));
      const decoded = upstream.lookupType('containerd.task.v2.CreateTaskRequest').decode(ours);
      expect(decoded.toJSON()).toMatchObject({
        id: 'c1',
        rootfs: [{ type: 'overlay' }],
        terminal: true,
      });
    });

    it('a shim event: ttrpc Events.Forward envelope carrying containerd.events.TaskExit', () => {
      const exit: containerd.events.TaskExit = {
        container_id: 'c1',
        id: 'c1',
        pid: 4242,
        exit_status: 137,
        exited_at: TIMESTAMP,
      };
      const forward = (event: { type_url: string; value: Buffer }) => ({
        envelope: { timestamp: TIMESTAMP, namespace: 'default', topic: '/tasks/exit', event },
      });
      const upstreamEvent = {
        type_url: 'containerd.events.TaskExit',
        value: encode(upstream, 'containerd.events.TaskExit', exit),
      };
      const type = 'containerd.services.events.ttrpc.v1.ForwardRequest';
      const ours = encode(protoRoot(), type, forward(packAny('containerd.events.TaskExit', exit)));
      expect(ours).toEqual(encode(upstream, type, forward(upstreamEvent)));
      expect(upstream.lookupType(type).decode(ours).toJSON()).toMatchObject({
        envelope: { namespace: 'default', topic: '/tasks/exit' },
      });
    });

    it('Tasks.Metrics returning io.containerd.cgroups.v2.Metrics in an Any (gRPC)', () => {
      const metricsType = 'io.containerd.cgroups.v2.Metrics';
      const response = (root: protobuf.Root) => ({
        metrics: [
          {
            timestamp: TIMESTAMP,
            id: 'c1',
            data: { type_url: metricsType, value: encode(root, metricsType, CGROUP_V2_METRICS) },
          },
        ],
      });
      const metrics = pkg.containerd.services.tasks.v1.Tasks.service.Metrics;
      expect(metrics.responseSerialize(response(protoRoot()))).toEqual(
        encode(upstream, 'containerd.services.tasks.v1.MetricsResponse', response(upstream)),
      );
    });

    it('io.containerd.cgroups.v1.Metrics with packed per-CPU usage', () => {
      const v1: io.containerd.cgroups.v1.Metrics = {
        cpu: { usage: { total: '300', per_cpu: ['100', '200'] } },
        memory: { usage: { limit: '1073741824', usage: '1024' }, total_rss: '5' },
        blkio: { io_service_bytes_recursive: [{ op: 'Read', major: '8', value: '4096' }] },
      };
      const type = 'io.containerd.cgroups.v1.Metrics';
      expect(encode(protoRoot(), type, v1)).toEqual(encode(upstream, type, v1));
      // total = 300 (field 1, varint), then per_cpu packed (field 4, length 3): 100, 200.
      const usage = encode(protoRoot(), 'io.containerd.cgroups.v1.CPUUsage', v1.cpu?.usage ?? {});
      expect(usage.toString('hex')).toBe('08ac02220364c801');
    });
  });
});
