/**
 * Which form input an API path of a RayCluster made from the form belongs to, so a refusal from the
 * API server (a 422's `details.causes[].field`) or from the YAML checks shows on the input to change.
 * Keys are the request's own paths (`form.head.cpu`); a path the form has no input for is kept as it is
 * and the page shows it on the YAML. Written for the manifest of raycluster-manifest.ts: one head
 * container, one worker group with one container.
 */
const RULES: [RegExp, (m: RegExpMatchArray, fixedReplicas: boolean) => string][] = [
  [/^metadata\.name$/, () => 'name'],
  [/^metadata\.namespace$/, () => 'namespace'],
  [/^spec\.rayVersion$/, () => 'rayVersion'],
  [/^spec\.authOptions(\..*)?$/, () => 'auth'],
  [/^spec\.(headGroupSpec|workerGroupSpecs\[0\])\.template\.spec\.containers\[0\]\.image$/, () => 'image'],
  [
    /^spec\.headGroupSpec\.template\.spec\.containers\[0\]\.resources\.(requests|limits)\.(cpu|memory)$/,
    (m) => `head.${m[2]}`,
  ],
  [
    /^spec\.workerGroupSpecs\[0\]\.template\.spec\.containers\[0\]\.resources\.(requests|limits)\.(cpu|memory)$/,
    (m) => `worker.${m[2]}`,
  ],
  [
    /^spec\.workerGroupSpecs\[0\]\.(replicas|minReplicas|maxReplicas)$/,
    (m, fixed) => `worker.scaling.${fixed ? 'replicas' : m[1] === 'replicas' ? 'minReplicas' : m[1]}`,
  ],
];

/** `spec.workerGroupSpecs.0.replicas` and `spec.workerGroupSpecs[0].replicas` name the same field. */
const bracketed = (path: string): string => path.replace(/\.(\d+)(?=\.|$)/g, '[$1]');

export function formFieldOf(apiPath: string, fixedReplicas: boolean): string | undefined {
  const path = bracketed(apiPath);
  for (const [pattern, field] of RULES) {
    const m = path.match(pattern);
    if (m) return `form.${field(m, fixedReplicas)}`;
  }
  return undefined;
}
