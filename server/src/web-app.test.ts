import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWebApp } from './web-app.js';

// How the built web app reaches browsers: compressed, hashed files cached for good, index.html never.

let dir: string;
const SCRIPT = `export const pages = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `page-${i}`))};\n`;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'web-app-test-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Ray Console</title><div id="root"></div>');
  writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), SCRIPT);
  writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function app() {
  const a = express();
  // Stands for the API, mounted first in createApp: an answer that a compressor must not hold back.
  a.get('/api/stream', (_req, res) => {
    res.set('Content-Type', 'text/event-stream').write(`data: ${'x'.repeat(4096)}\n\n`);
    res.end();
  });
  serveWebApp(a, dir, false);
  return a;
}

describe('the built web app', () => {
  it('sends scripts compressed to a browser that accepts it, and cached for good under their hashed names', async () => {
    const res = await request(app()).get('/assets/index-abc123.js').set('Accept-Encoding', 'gzip');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.text).toBe(SCRIPT);
  });

  it('sends them plain to a client that does not accept compression', async () => {
    const res = await request(app()).get('/assets/index-abc123.js').set('Accept-Encoding', 'identity');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.text).toBe(SCRIPT);
  });

  it('answers a missing hashed file with 404, not with the page (a stale page must not run HTML as a script)', async () => {
    const res = await request(app()).get('/assets/index-gone.js');
    expect(res.status).toBe(404);
  });

  it('serves index.html for deep links, never cached, and other files for an hour', async () => {
    const page = await request(app()).get('/clusters/default/jobs');
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.text).toContain('<div id="root">');
    const icon = await request(app()).get('/favicon.svg');
    expect(icon.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('leaves the API’s answers alone', async () => {
    const res = await request(app()).get('/api/stream').set('Accept-Encoding', 'gzip');
    expect(res.headers['content-encoding']).toBeUndefined();
  });

  // A deep link to a job's page starts the job's log while the browser reads the page (docs/benchmarks.md,
  // "In the browser"): the same URL the page's first script then asks for, which the browser reuses.
  it('names a job’s log in a preload header of the job’s page', async () => {
    const res = await request(app()).get('/clusters/default/jobs/raysubmit_Ab-1');
    expect(res.status).toBe(200);
    expect(res.headers.link).toBe(
      '</api/clusters/default/jobs/raysubmit_Ab-1/logs>; rel=preload; as=fetch; crossorigin=use-credentials',
    );
    const slash = await request(app()).get('/clusters/c.1~x/jobs/02000000/');
    expect(slash.headers.link).toBe(
      '</api/clusters/c.1~x/jobs/02000000/logs>; rel=preload; as=fetch; crossorigin=use-credentials',
    );
  });

  it('names no log for other pages, the submit form, or ids the API would refuse', async () => {
    for (const page of [
      '/',
      '/clusters/default',
      '/clusters/default/jobs',
      '/clusters/default/jobs/new',
      '/clusters/default/jobs/raysubmit_a/extra',
      '/clusters/default/logs/view',
      // Hostile or malformed ids: escapes that decode to a separator, a quote, angle brackets, a comma.
      '/clusters/default/jobs/a%3E%3B%20rel%3Dpreload',
      '/clusters/default/jobs/a%2Fb',
      '/clusters/default/jobs/a%22b',
      '/clusters/de%3Cfault/jobs/raysubmit_a',
      '/clusters/default/jobs/a,b',
      '/clusters/default/jobs/%E0%A4%A',
      '/clusters/.hidden/jobs/raysubmit_a',
      `/clusters/default/jobs/${'a'.repeat(256)}`,
    ]) {
      const res = await request(app()).get(page);
      expect(res.status, page).toBe(200);
      expect(res.headers.link, page).toBeUndefined();
    }
  });
});
