// The JSON shapes of GET /containers/json and /containers/{id}/json.
import { humanDuration } from './duration';
import type { Container } from './manager';
import { mountView } from './mounts';
import { portSummary } from '../network/ports';
import { networkSettingsView } from '../network/settings';

function command(container: Container): string {
  return [container.record.Path, ...container.record.Args].join(' ');
}

export function containerStatus(container: Container, now = Date.now()): string {
  const { State } = container.record;
  const since = (iso: string) => humanDuration(now - Date.parse(iso));
  switch (State.Status) {
    case 'running':
      return `Up ${since(State.StartedAt)}`;
    case 'paused':
      return `Up ${since(State.StartedAt)} (Paused)`;
    case 'restarting':
      return `Restarting (${State.ExitCode}) ${since(State.FinishedAt)} ago`;
    case 'exited':
      return `Exited (${State.ExitCode}) ${since(State.FinishedAt)} ago`;
    default:
      return State.Status === 'created' ? 'Created' : State.Status;
  }
}

export function containerSummary(container: Container, imageName: string) {
  const { record } = container;
  return {
    Id: record.Id,
    Names: [record.Name],
    Image: imageName,
    ImageID: record.Image,
    Command: command(container),
    Created: Math.floor(Date.parse(record.Created) / 1000),
    Ports: portSummary(record.NetworkSettings?.Ports),
    Labels: record.Config.Labels ?? {},
    State: record.State.Status,
    Status: containerStatus(container),
    HostConfig: { NetworkMode: record.HostConfig.NetworkMode },
    NetworkSettings: { Networks: record.NetworkSettings?.Networks ?? {} },
    Mounts: (record.MountPoints ?? []).map(mountView),
  };
}

export function containerInspect(
  container: Container,
  paths: { dir: string; logPath: string },
  execIds: string[],
) {
  const { record } = container;
  const { State } = record;
  return {
    Id: record.Id,
    Created: record.Created,
    Path: record.Path,
    Args: record.Args,
    State: {
      Status: State.Status,
      Running: State.Status === 'running' || State.Status === 'paused',
      Paused: State.Status === 'paused',
      Restarting: State.Status === 'restarting',
      OOMKilled: State.OOMKilled,
      Dead: State.Status === 'dead',
      Pid: State.Pid,
      ExitCode: State.ExitCode,
      Error: State.Error,
      StartedAt: State.StartedAt,
      FinishedAt: State.FinishedAt,
    },
    Image: record.Image,
    ResolvConfPath: `${paths.dir}/resolv.conf`,
    HostnamePath: `${paths.dir}/hostname`,
    HostsPath: `${paths.dir}/hosts`,
    LogPath: paths.logPath,
    Name: record.Name,
    RestartCount: record.RestartCount,
    Driver: 'overlayfs',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: execIds.length > 0 ? execIds : null,
    HostConfig: { LogConfig: { Type: 'json-file', Config: {} }, ...record.HostConfig },
    GraphDriver: { Name: 'overlayfs', Data: null },
    Mounts: (record.MountPoints ?? []).map(mountView),
    Config: record.Config,
    NetworkSettings: networkSettingsView(record.NetworkSettings),
  };
}
