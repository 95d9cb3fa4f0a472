import { z } from 'zod';

/*
 * The names Kubernetes objects carry, as the console's routes take them from URLs and forms (issue 12).
 * One definition for every Kubernetes page, so a namespace is checked the same way everywhere.
 */

/** RFC 1123 label: a namespace name (at most 63). */
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/**
 * RFC 1123 subdomain: an object name, labels joined by dots. Its length (at most 253) is a separate
 * check, not a lookahead here: the OpenAPI document carries the pattern, and API fuzzers (schemathesis)
 * cannot generate strings for a lookahead.
 */
export const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const KubeNamespace = z
  .string()
  .regex(
    DNS_1123_LABEL,
    'Use a Kubernetes namespace name: lower-case letters, digits and "-", starting and ending with a letter or digit (at most 63).',
  );

export const KubeObjectName = z
  .string()
  .max(253, 'Kubernetes object names have at most 253 characters.')
  .regex(
    DNS_1123_SUBDOMAIN,
    'Use a Kubernetes object name: lower-case letters, digits, "-" and ".", starting and ending with a letter or digit (at most 253).',
  );
