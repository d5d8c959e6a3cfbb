// The JSON shapes of GET /images/json, /images/{name}/json and /images/{name}/history.
import { compareVersions } from '../api/versions';
import { familiarName } from './reference';
import { isTagName } from './repo-digests';
import type { Image } from './store';

const unixSeconds = (iso: string | undefined) => (iso ? Math.floor(Date.parse(iso) / 1000) : 0);

export function imageSummary(image: Image, size: number, apiVersion: string) {
  const summary: Record<string, unknown> = {
    Id: image.id,
    ParentId: '',
    RepoTags: image.names.filter(isTagName).map(familiarName),
    RepoDigests: image.repoDigests,
    Created: unixSeconds(image.config.created),
    Size: size,
    SharedSize: -1,
    Labels: image.config.config?.Labels ?? {},
    Containers: -1,
  };
  // VirtualSize left the API in 1.44.
  if (compareVersions(apiVersion, '1.44') < 0) summary.VirtualSize = size;
  return summary;
}

export function imageInspect(image: Image, size: number, apiVersion: string) {
  const { config } = image;
  const inspect: Record<string, unknown> = {
    Id: image.id,
    RepoTags: image.names.filter(isTagName).map(familiarName),
    RepoDigests: image.repoDigests,
    Parent: '',
    Comment: config.comment ?? '',
    Created: config.created ?? '',
    DockerVersion: config.docker_version ?? '',
    Author: config.author ?? '',
    Config: { ...emptyContainerConfig, ...config.config },
    Architecture: config.architecture ?? '',
    Os: config.os ?? '',
    Size: size,
    GraphDriver: { Name: 'overlayfs', Data: null },
    RootFS: { Type: 'layers', Layers: config.rootfs?.diff_ids ?? [] },
    Metadata: { LastTagTime: image.tagged.toISOString() },
  };
  if (config.variant) inspect.Variant = config.variant;
  if (compareVersions(apiVersion, '1.44') < 0) {
    inspect.VirtualSize = size;
    inspect.Container = '';
    inspect.ContainerConfig = emptyContainerConfig;
  }
  return inspect;
}

const emptyContainerConfig = {
  Hostname: '',
  Domainname: '',
  User: '',
  AttachStdin: false,
  AttachStdout: false,
  AttachStderr: false,
  Tty: false,
  OpenStdin: false,
  StdinOnce: false,
  Env: null,
  Cmd: null,
  Image: '',
  Volumes: null,
  WorkingDir: '',
  Entrypoint: null,
  OnBuild: null,
  Labels: null,
};

/** Newest first; layers match history entries that are not empty_layer, bottom up. */
export function imageHistory(image: Image, layerSizes: number[]) {
  const history = image.config.history ?? [];
  let layer = 0;
  const rows = history.map((entry) => ({
    Id: '<missing>',
    Created: unixSeconds(entry.created),
    CreatedBy: entry.created_by ?? '',
    Tags: null as string[] | null,
    Size: entry.empty_layer ? 0 : (layerSizes[layer++] ?? 0),
    Comment: entry.comment ?? '',
  }));
  rows.reverse();
  if (rows[0]) {
    rows[0].Id = image.id;
    rows[0].Tags = image.names.map(familiarName);
  }
  return rows;
}
