// JSON schema for config.json, derived from the runtime-spec's schema/config-schema.json,
// config-linux.json and defs*.json (draft-07 there; the constraints that matter to a Linux
// runtime are kept, descriptions dropped).
import type { Schema } from './schema-check';

const uint32: Schema = { type: 'integer', minimum: 0, maximum: 4294967295 };
const int64: Schema = { type: 'integer' };
const uint64: Schema = { type: 'integer', minimum: 0 };
const stringArray: Schema = { type: 'array', items: { type: 'string' } };
const env: Schema = { type: 'array', items: { type: 'string', pattern: '^[^=]+=' } };
const idMappings: Schema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['containerID', 'hostID', 'size'],
    properties: { containerID: uint32, hostID: uint32, size: uint32 },
  },
};
const hooks: Schema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['path'],
    properties: {
      path: { type: 'string', pattern: '^/' },
      args: stringArray,
      env,
      timeout: { type: 'integer', minimum: 1 },
    },
  },
};
const capList: Schema = { type: 'array', items: { type: 'string', pattern: '^CAP_[A-Z_]+$' } };
const seccompAction: Schema = {
  enum: [
    'SCMP_ACT_KILL',
    'SCMP_ACT_KILL_PROCESS',
    'SCMP_ACT_KILL_THREAD',
    'SCMP_ACT_TRAP',
    'SCMP_ACT_ERRNO',
    'SCMP_ACT_TRACE',
    'SCMP_ACT_ALLOW',
    'SCMP_ACT_LOG',
    'SCMP_ACT_NOTIFY',
  ],
};

export const configSchema: Schema = {
  type: 'object',
  required: ['ociVersion'],
  properties: {
    ociVersion: { type: 'string', pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$' },
    hostname: { type: 'string' },
    domainname: { type: 'string' },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    root: {
      type: 'object',
      required: ['path'],
      properties: { path: { type: 'string' }, readonly: { type: 'boolean' } },
    },
    mounts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['destination'],
        properties: {
          destination: { type: 'string' },
          source: { type: 'string' },
          type: { type: 'string' },
          options: stringArray,
          uidMappings: idMappings,
          gidMappings: idMappings,
        },
      },
    },
    process: {
      type: 'object',
      required: ['cwd', 'user'],
      properties: {
        terminal: { type: 'boolean' },
        consoleSize: {
          type: 'object',
          required: ['height', 'width'],
          properties: { height: uint64, width: uint64 },
        },
        cwd: { type: 'string' },
        args: stringArray,
        commandLine: { type: 'string' },
        env,
        user: {
          type: 'object',
          required: ['uid', 'gid'],
          properties: {
            uid: uint32,
            gid: uint32,
            umask: uint32,
            additionalGids: { type: 'array', items: uint32 },
            username: { type: 'string' },
          },
        },
        capabilities: {
          type: 'object',
          properties: {
            bounding: capList,
            permitted: capList,
            effective: capList,
            inheritable: capList,
            ambient: capList,
          },
        },
        noNewPrivileges: { type: 'boolean' },
        apparmorProfile: { type: 'string' },
        oomScoreAdj: { type: 'integer', minimum: -1000, maximum: 1000 },
        selinuxLabel: { type: 'string' },
        rlimits: {
          type: 'array',
          items: {
            type: 'object',
            required: ['type', 'soft', 'hard'],
            properties: {
              type: { type: 'string', pattern: '^RLIMIT_[A-Z]+$' },
              soft: uint64,
              hard: uint64,
            },
          },
        },
      },
    },
    hooks: {
      type: 'object',
      properties: {
        prestart: hooks,
        createRuntime: hooks,
        createContainer: hooks,
        startContainer: hooks,
        poststart: hooks,
        poststop: hooks,
      },
    },
    linux: {
      type: 'object',
      properties: {
        namespaces: {
          type: 'array',
          items: {
            type: 'object',
            required: ['type'],
            properties: {
              type: { enum: ['pid', 'network', 'mount', 'ipc', 'uts', 'user', 'cgroup', 'time'] },
              path: { type: 'string' },
            },
          },
        },
        uidMappings: idMappings,
        gidMappings: idMappings,
        timeOffsets: {
          type: 'object',
          propertyNames: { enum: ['boottime', 'monotonic'] },
          additionalProperties: {
            type: 'object',
            properties: { secs: int64, nanosecs: uint32 },
          },
        },
        devices: {
          type: 'array',
          items: {
            type: 'object',
            required: ['type', 'path'],
            properties: {
              type: { enum: ['c', 'b', 'u', 'p'] },
              path: { type: 'string' },
              major: int64,
              minor: int64,
              fileMode: uint32,
              uid: uint32,
              gid: uint32,
            },
          },
        },
        cgroupsPath: { type: 'string' },
        resources: { type: 'object' },
        rootfsPropagation: {
          enum: [
            'private',
            'shared',
            'slave',
            'unbindable',
            'rprivate',
            'rshared',
            'rslave',
            'runbindable',
          ],
        },
        seccomp: {
          type: 'object',
          required: ['defaultAction'],
          properties: {
            defaultAction: seccompAction,
            defaultErrnoRet: uint32,
            flags: stringArray,
            listenerPath: { type: 'string' },
            architectures: { type: 'array', items: { type: 'string', pattern: '^SCMP_ARCH_' } },
            syscalls: {
              type: 'array',
              items: {
                type: 'object',
                required: ['names', 'action'],
                properties: {
                  names: { type: 'array', items: { type: 'string' }, minItems: 1 },
                  action: seccompAction,
                  errnoRet: uint32,
                  args: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['index', 'value', 'op'],
                      properties: {
                        index: { type: 'integer', minimum: 0, maximum: 5 },
                        value: uint64,
                        valueTwo: uint64,
                        op: {
                          enum: [
                            'SCMP_CMP_NE',
                            'SCMP_CMP_LT',
                            'SCMP_CMP_LE',
                            'SCMP_CMP_EQ',
                            'SCMP_CMP_GE',
                            'SCMP_CMP_GT',
                            'SCMP_CMP_MASKED_EQ',
                          ],
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
        sysctl: { type: 'object', additionalProperties: { type: 'string' } },
        maskedPaths: stringArray,
        readonlyPaths: stringArray,
        mountLabel: { type: 'string' },
        personality: { type: 'object' },
      },
    },
  },
};
