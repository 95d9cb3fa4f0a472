// The BFF's job URLs; their own module so the first script can ask for a job without the jobs chunk.
export const jobsPath = (clusterId: string) => `/api/clusters/${encodeURIComponent(clusterId)}/jobs`;
export const jobPath = (clusterId: string, jobId: string) => `${jobsPath(clusterId)}/${encodeURIComponent(jobId)}`;
/** A job's whole log as text (its live tail is `${jobLogPath}/stream`). */
export const jobLogPath = (clusterId: string, jobId: string) => `${jobPath(clusterId, jobId)}/logs`;
