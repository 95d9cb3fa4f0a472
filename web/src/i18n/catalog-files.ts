/**
 * The catalog files, each a chunk fetched on demand (grouped by web/vite.config.ts). A module of its
 * own so a test can stand in for a deploy that replaced them while a tab was open.
 */
export const catalogFiles = import.meta.glob<{ default: unknown }>('./locales/*/*.json');
