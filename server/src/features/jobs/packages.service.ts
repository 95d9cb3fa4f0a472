import type { PackageUploadResponse } from '@ray-console/shared';
import type { SignedInCluster } from '../clusters/cluster-access.js';
import { packageBody, packageName, type SpooledPackage } from './package-upload.js';

/**
 * Puts a spooled package on the cluster the way Ray's own client does: ask whether the cluster has it
 * (which also pins it in the GCS for 10 minutes, time enough to submit the job), and send the bytes
 * only when it does not.
 */
export async function uploadPackage(
  { ray, credential }: SignedInCluster,
  pkg: SpooledPackage,
): Promise<PackageUploadResponse> {
  const name = packageName(pkg.sha1);
  const exists = await ray.packageExists(credential.token, name);
  if (!exists) await ray.uploadPackage(credential.token, name, packageBody(pkg));
  return {
    uri: `gcs://${name}`,
    sizeBytes: pkg.sizeBytes,
    ...(pkg.files !== undefined ? { files: pkg.files } : {}),
    uploaded: !exists,
  };
}
