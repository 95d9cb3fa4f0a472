import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  RayClusterCreated,
  RayClusterPreview,
  type RayClusterCreateRequest,
  type RayClusterForm,
} from '@ray-console/shared';
import { api } from '../../lib/api-client';
import { clusterKeys } from '../clusters/api';

const CREATE_PATH = '/api/kubernetes/rayclusters';

/** The YAML the form stands for (`kubectl apply -f`), made by the BFF so it is the one it would create. */
export function usePreviewRayCluster() {
  return useMutation({
    mutationFn: (form: RayClusterForm) => api.send('POST', `${CREATE_PATH}/preview`, { form }, RayClusterPreview),
  });
}

/** A dry run or the create itself, as the person; a create refreshes the cluster list, where it appears. */
export function useCreateRayCluster() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: RayClusterCreateRequest) => api.send('POST', CREATE_PATH, request, RayClusterCreated),
    onSuccess: (created) => {
      if (!created.dryRun) void queryClient.invalidateQueries({ queryKey: clusterKeys.list() });
    },
  });
}
