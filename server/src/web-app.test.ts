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
});
