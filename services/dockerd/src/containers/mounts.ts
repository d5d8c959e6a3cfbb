// A container's mounts as Docker's Linux mount parser reads them (volume/mounts/linux_parser):
// HostConfig.Binds ("src:dst[:mode]"), HostConfig.Mounts, Config.Volumes (anonymous) and
// HostConfig.Tmpfs, validated with Docker's messages, and turned into OCI spec mounts.
import { posix } from 'node:path';
import { invalidParameter } from '../api/errors';

export interface MountSpec {
  Type?: string;
  Source?: string;
  Target?: string;
  ReadOnly?: boolean;
  BindOptions?: { Propagation?: string; CreateMountpoint?: boolean } | null;
  VolumeOptions?: {
    NoCopy?: boolean;
    Labels?: Record<string, string> | null;
    DriverConfig?: { Name?: string; Options?: Record<string, string> | null } | null;
  } | null;
  TmpfsOptions?: { SizeBytes?: number; Mode?: number; Options?: string[][] | null } | null;
}

/** One mount of a container, as config.v2.json's MountPoints and inspect's Mounts show it. */
export interface MountPoint {
  Type: 'bind' | 'volume' | 'tmpfs';
  /** The volume's name; empty for an anonymous volume until it is created. */
  Name: string;
  /** Host path: the bind source or the volume's _data. */
  Source: string;
  Destination: string;
  Driver: string;
  /** The mode string of a Binds entry ("ro,z"), empty otherwise. */
  Mode: string;
  RW: boolean;
  Propagation: string;
  /** Copy the image's content at Destination into the volume when it is empty. */
  CopyData: boolean;
  /** Named by the request (Binds or Mounts.Source); `docker rm -v` keeps these. */
  Named: boolean;
  /** A Binds source that is missing is created as a directory at start (Docker's legacy). */
  CreateSource: boolean;
  /** Volume labels and driver options for a volume the mount creates. */
  VolumeLabels?: Record<string, string> | null;
  VolumeOptions?: Record<string, string> | null;
  /** tmpfs data ("size=64k,mode=1770"). */
  Data: string;
}

const PROPAGATIONS = ['private', 'rprivate', 'slave', 'rslave', 'shared', 'rshared'];
const MODE_CLASSES: [string, readonly string[]][] = [
  ['rw', ['rw', 'ro']],
  ['label', ['z', 'Z']],
  ['propagation', PROPAGATIONS],
  ['copy', ['nocopy']],
  ['consistency', ['consistent', 'cached', 'delegated']],
];

/** At most one option of each class, every option known. */
export function validMode(mode: string): boolean {
  if (mode === '') return true;
  const counts = new Map<string, number>();
  for (const option of mode.split(',')) {
    const cls = MODE_CLASSES.find(([, options]) => options.includes(option))?.[0];
    if (!cls) return false;
    counts.set(cls, (counts.get(cls) ?? 0) + 1);
  }
  return [...counts.values()].every((n) => n === 1);
}

/** Go's path.Clean: normalized, without a trailing slash. */
const clean = (path: string) => posix.normalize(path).replace(/(.)\/+$/, '$1');

class MountConfigError extends Error {
  constructor(type: string, reason: string) {
    super(`invalid mount config for type "${type}": ${reason}`);
  }
}

function validateTarget(type: string, target: string | undefined): string {
  if (!target) throw new MountConfigError(type, 'field Target must not be empty');
  if (clean(target) === '/') throw new Error(`invalid specification: destination can't be '/'`);
  if (!posix.isAbsolute(target))
    throw new MountConfigError(type, `invalid mount path: '${target}' mount path must be absolute`);
  return clean(target);
}

/** ConvertTmpfsOptions: ro, mode in octal, size with the largest unit that divides it. */
export function tmpfsData(options: MountSpec['TmpfsOptions'], readOnly: boolean): string {
  const data: string[] = [];
  if (readOnly) data.push('ro');
  if (options?.Mode) data.push(`mode=${options.Mode.toString(8)}`);
  if (options?.SizeBytes) {
    const units: [string, number][] = [
      ['g', 2 ** 30],
      ['m', 2 ** 20],
      ['k', 2 ** 10],
    ];
    const unit = units.find(([, size]) => options.SizeBytes! % size === 0);
    data.push(unit ? `size=${options.SizeBytes / unit[1]}${unit[0]}` : `size=${options.SizeBytes}`);
  }
  for (const option of options?.Options ?? []) {
    if (option.length < 1 || option.length > 2) throw new Error('invalid option array length');
    if (!['exec', 'noexec'].includes(option[0]!)) throw new Error(`invalid option: ${option[0]}`);
    data.push(option.join('='));
  }
  return data.join(',');
}

function mountPoint(partial: Partial<MountPoint> & Pick<MountPoint, 'Type' | 'Destination'>) {
  return {
    Name: '',
    Source: '',
    Driver: '',
    Mode: '',
    RW: true,
    Propagation: '',
    CopyData: false,
    Named: false,
    CreateSource: false,
    Data: '',
    ...partial,
  } satisfies MountPoint;
}

/** HostConfig.Mounts entry → mount point (parseMountSpec with bind source existence checked). */
export function parseMountSpec(spec: MountSpec, exists: (path: string) => boolean): MountPoint {
  const type = spec.Type ?? '';
  const target = validateTarget(type, spec.Target);
  const extra = (field: string) =>
    new MountConfigError(type, `field ${field} must not be specified`);
  switch (type) {
    case 'bind': {
      if (!spec.Source) throw new MountConfigError(type, 'field Source must not be empty');
      const propagation = spec.BindOptions?.Propagation;
      if (propagation && !PROPAGATIONS.includes(propagation))
        throw new MountConfigError(type, `invalid propagation mode: ${propagation}`);
      if (spec.VolumeOptions) throw extra('VolumeOptions');
      if (!posix.isAbsolute(spec.Source))
        throw new MountConfigError(
          type,
          `invalid mount path: '${spec.Source}' mount path must be absolute`,
        );
      const source = clean(spec.Source);
      const create = !!spec.BindOptions?.CreateMountpoint;
      if (!create && !exists(source))
        throw new MountConfigError(type, `bind source path does not exist: ${source}`);
      return mountPoint({
        Type: 'bind',
        Source: source,
        Destination: target,
        RW: !spec.ReadOnly,
        Propagation: propagation || 'rprivate',
        Named: true,
        CreateSource: create,
      });
    }
    case 'volume': {
      if (spec.BindOptions) throw extra('BindOptions');
      if (spec.ReadOnly && !spec.Source)
        throw new MountConfigError(type, 'must not set ReadOnly mode when using anonymous volumes');
      return mountPoint({
        Type: 'volume',
        Name: spec.Source ?? '',
        Destination: target,
        Driver: spec.VolumeOptions?.DriverConfig?.Name || 'local',
        // setBindModeIfNull: local volumes carry the SELinux relabel mode
        Mode: 'z',
        RW: !spec.ReadOnly,
        CopyData: !spec.VolumeOptions?.NoCopy,
        Named: !!spec.Source,
        VolumeLabels: spec.VolumeOptions?.Labels ?? null,
        VolumeOptions: spec.VolumeOptions?.DriverConfig?.Options ?? null,
      });
    }
    case 'tmpfs': {
      if (spec.BindOptions) throw extra('BindOptions');
      if (spec.Source) throw extra('Source');
      return mountPoint({
        Type: 'tmpfs',
        Destination: target,
        RW: !spec.ReadOnly,
        Data: tmpfsData(spec.TmpfsOptions, !!spec.ReadOnly),
      });
    }
    default:
      throw new MountConfigError(type, 'mount type unknown');
  }
}

/** A Binds entry: "src:dst", "src:dst:mode"; src is a host path (absolute) or a volume name. */
export function parseBind(raw: string): MountPoint {
  const invalid = `invalid volume specification: '${raw}'`;
  const parts = raw.split(':');
  if (parts.length > 3 || parts.length < 2 || !parts[0]) throw new Error(invalid);
  const [source = '', target = '', mode = ''] = parts;
  if (parts.length === 2 && validMode(target)) throw new Error(invalid);
  if (!validMode(mode)) throw new Error(`invalid mode: ${mode}`);
  const options = mode.split(',');
  const bind = posix.isAbsolute(source);
  try {
    const point = parseMountSpec(
      {
        Type: bind ? 'bind' : 'volume',
        Source: source,
        Target: target,
        ReadOnly: options.includes('ro'),
        BindOptions: bind ? { Propagation: options.find((o) => PROPAGATIONS.includes(o)) } : null,
        VolumeOptions: bind ? null : { NoCopy: options.includes('nocopy') },
      },
      () => true,
    );
    return { ...point, Mode: bind ? mode : mode || 'z', CreateSource: bind };
  } catch (err) {
    throw new Error(`${invalid}: ${(err as Error).message}`);
  }
}

export interface MountRequest {
  Binds?: string[] | null;
  Mounts?: MountSpec[] | null;
  /** Config.Volumes of the request and of the image: anonymous volumes. */
  Volumes?: readonly string[];
  /** --tmpfs destinations: checked here, mounted by the spec, never mount points. */
  Tmpfs?: Record<string, string> | null;
}

/**
 * All mount points of a new container, in Docker's precedence: Binds, then Mounts (a second
 * mount on one destination is refused, --tmpfs included), then anonymous volumes where
 * nothing else is mounted.
 */
export function parseMounts(
  request: MountRequest,
  exists: (path: string) => boolean,
): MountPoint[] {
  const points = new Map<string, MountPoint>();
  const add = (point: MountPoint) => {
    if (points.has(point.Destination))
      throw invalidParameter(`Duplicate mount point: ${point.Destination}`);
    points.set(point.Destination, point);
  };
  try {
    for (const bind of request.Binds ?? []) add(parseBind(bind));
    for (const spec of request.Mounts ?? []) add(parseMountSpec(spec, exists));
    const tmpfs = Object.keys(request.Tmpfs ?? {}).map((t) => validateTarget('tmpfs', t));
    const taken = tmpfs.find((destination) => points.has(destination));
    if (taken) throw invalidParameter(`Duplicate mount point: ${taken}`);
    for (const target of request.Volumes ?? []) {
      const destination = validateTarget('volume', target);
      if (!points.has(destination) && !tmpfs.includes(destination))
        points.set(
          destination,
          mountPoint({ Type: 'volume', Destination: destination, Driver: 'local', CopyData: true }),
        );
    }
  } catch (err) {
    throw err instanceof Error && !('statusCode' in err) ? invalidParameter(err.message) : err;
  }
  return [...points.values()];
}

export interface SpecMount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

/** The OCI mounts for a container's mount points and --tmpfs entries, parents before children. */
export function specMounts(
  points: readonly MountPoint[],
  tmpfs: Record<string, string>,
): SpecMount[] {
  const mounts: SpecMount[] = points.map((point) =>
    point.Type === 'tmpfs'
      ? tmpfsMount(point.Destination, point.Data)
      : {
          destination: point.Destination,
          type: 'bind',
          source: point.Source,
          options: ['rbind', point.Propagation || 'rprivate', ...(point.RW ? [] : ['ro'])],
        },
  );
  for (const [destination, data] of Object.entries(tmpfs))
    mounts.push(tmpfsMount(clean(destination), data));
  const depth = (path: string) => path.split('/').filter(Boolean).length;
  return mounts.sort((a, b) => depth(a.destination) - depth(b.destination));
}

function tmpfsMount(destination: string, data: string): SpecMount {
  return {
    destination,
    type: 'tmpfs',
    source: 'tmpfs',
    options: mergeTmpfsOptions(['noexec', 'nosuid', 'nodev', 'rprivate', ...data.split(',')]),
  };
}

/** Later options win over earlier ones of the same key ("exec" over "noexec", "size=" over "size="). */
export function mergeTmpfsOptions(options: readonly string[]): string[] {
  const key = (option: string) => {
    const name = option.split('=')[0]!;
    if (name === 'ro' || name === 'rw') return 'rw';
    return ['noexec', 'nosuid', 'nodev', 'noatime', 'nodiratime'].includes(name)
      ? name.slice(2)
      : name;
  };
  const seen = new Set<string>();
  const merged: string[] = [];
  for (const option of [...options].reverse()) {
    if (!option || seen.has(key(option))) continue;
    seen.add(key(option));
    merged.unshift(option);
  }
  return merged;
}

/** Inspect's Mounts entry. */
export function mountView(point: MountPoint) {
  return {
    Type: point.Type,
    ...(point.Type === 'volume' ? { Name: point.Name } : {}),
    Source: point.Source,
    Destination: point.Destination,
    ...(point.Type === 'volume' ? { Driver: point.Driver } : {}),
    Mode: point.Mode,
    RW: point.RW,
    Propagation: point.Propagation,
  };
}

/** The mount fields of a create request; Config.Volumes (merged with the image's) are anonymous. */
export function mountRequest(
  host: Pick<MountRequest, 'Binds' | 'Mounts' | 'Tmpfs'>,
  volumes: Record<string, object> | null | undefined,
): MountRequest {
  const { Binds, Mounts, Tmpfs } = host;
  return { Binds, Mounts, Tmpfs, Volumes: Object.keys(volumes ?? {}) };
}
