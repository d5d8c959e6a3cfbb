// The JSON shape of a volume in GET /volumes and /volumes/{name}.
import type { Volume } from './store';

export function volumeView(volume: Volume, mountpoint: string) {
  return {
    CreatedAt: volume.CreatedAt,
    Driver: volume.Driver,
    Labels: volume.Labels,
    Mountpoint: mountpoint,
    Name: volume.Name,
    Options: volume.Options,
    Scope: 'local',
  };
}
