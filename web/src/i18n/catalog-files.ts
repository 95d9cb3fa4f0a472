/**
 * The catalog files, each fetched on demand (grouped into a few chunks by web/vite.config.ts, whose
 * build replaces this module with one loader per chunk). A module of its own so a test can stand in for
 * a deploy that replaced them while a tab was open.
 */
export const catalogFiles = import.meta.glob<{ default: unknown }>('./locales/*/*.json');
