export * from './errors.js';
export * from './clusters.js';
export * from './resources.js';
export * from './health.js';
export * from './openapi.js';
export * from './openapi-fragments.js';
