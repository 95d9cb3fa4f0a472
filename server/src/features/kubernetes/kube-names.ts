/**
 * Checks on names read from Kubernetes objects before the console uses them in an address or in a
 * command a user may copy. Whoever may create or patch a RayCluster writes these names (the API server
 * does not check `status.head.serviceName` or `headService.metadata.name` against the Service name
 * rules; see docs/kuberay-behaviour.md), so they are untrusted: a name such as `evil:80/#` pasted into
 * `http://<name>.<namespace>.svc` would send users' tokens to `evil`.
 */

/** RFC 1123 label: what Kubernetes requires of namespace names, and (more strictly) of Service names. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** RFC 1123 subdomain (Secret names): labels joined by dots, at most 253 characters. */
const DNS_SUBDOMAIN_PART = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A Secret or ConfigMap data key. */
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;

export const isDnsLabel = (s: string): boolean => DNS_LABEL.test(s);

export const isDnsSubdomain = (s: string): boolean =>
  s.length > 0 && s.length <= 253 && s.split('.').every((part) => DNS_SUBDOMAIN_PART.test(part));

export const isSecretKey = (s: string): boolean => s.length <= 253 && DATA_KEY.test(s) && s !== '.' && s !== '..';

export const isPort = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 65535;

/** An untrusted value for a message: JSON-quoted (so control characters show) and cut short. */
export function shown(value: string): string {
  const quoted = JSON.stringify(value);
  return quoted.length > 80 ? `${quoted.slice(0, 77)}…"` : quoted;
}

/** Why a name is not an RFC 1123 label, in words an operator acts on. */
export function labelProblem(value: string): string {
  if (value.length > 63) return `${shown(value)} is longer than 63 characters`;
  return `${shown(value)} is not a DNS label (lower-case letters, digits and "-", starting and ending with a letter or digit)`;
}

/**
 * `http://<service>.<namespace>.svc:<port>`, built with `new URL()` from parts checked here; a string
 * naming what is wrong (for the cluster list) when a part is not valid.
 */
export function serviceUrlOf(
  namespace: string,
  service: { name: string; from: string },
  port: number,
): { url: string } | { problem: string } {
  if (!isDnsLabel(namespace)) return { problem: `The namespace ${labelProblem(namespace)}.` };
  if (!isDnsLabel(service.name))
    return { problem: `The head Service name ${labelProblem(service.name)} (from ${service.from}).` };
  if (!isPort(port)) return { problem: `The dashboard port ${shown(String(port))} is not a port number (1-65535).` };
  const url = new URL('http://head.invalid');
  url.hostname = `${service.name}.${namespace}.svc`;
  url.port = String(port);
  // `origin`: no trailing slash, and the default port 80 is left out as `new URL()` does.
  return { url: url.origin };
}
