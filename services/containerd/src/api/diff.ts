import type { containerd } from '@berth/proto';
import type { DiffService } from '../core/diff/service';
import { descriptorFromMsg, descriptorToMsg, mountFromMsg } from './convert';
import { namespaced } from './grpc';

export function diffService(diff: DiffService): containerd.services.diff.v1.DiffHandlers {
  return {
    Apply: namespaced(async (ctx, req) => ({
      applied: descriptorToMsg(
        await diff.apply(ctx, descriptorFromMsg(req.diff), req.mounts.map(mountFromMsg)),
      ),
    })),
    Diff: namespaced(async (ctx, req) => ({
      diff: descriptorToMsg(
        await diff.diff(ctx, req.left.map(mountFromMsg), req.right.map(mountFromMsg), {
          mediaType: req.media_type,
          ref: req.ref,
          labels: req.labels,
        }),
      ),
    })),
  };
}
