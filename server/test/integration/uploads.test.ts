import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PackageUploadResponse, type ApiErrorBody } from '@ray-console/shared';
import { BffClient, type RecordedResponse } from '../support/bff-client.js';
import { startBff, type RunningBff } from '../support/bff.js';
import { waitFor } from '../support/wait.js';

// Package uploads are spooled to UPLOAD_DIR (a volume of their own in deploy/), and at most
// UPLOAD_CONCURRENCY are received at once, so that volume can be sized to never fill up.

const head = inject('rayHead');
const run = Date.now().toString(36);
const packages = '/api/clusters/default/packages';

let bff: RunningBff;
let client: BffClient;
let work: string;
let spool: string;

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'ray-console-uploads-test-'));
  // A folder that does not exist yet: the console makes it, as on a fresh volume.
  spool = path.join(work, 'spool');
  bff = await startBff({ RAY_DASHBOARD_URL: head.dashboardUrl, UPLOAD_DIR: spool, UPLOAD_CONCURRENCY: '2' });
  client = new BffClient(bff.url);
  expect((await client.login('default', head.token)).status).toBe(200);
});

afterAll(async () => {
  for (const r of client?.responses ?? []) expect(r.text).not.toContain(head.token);
  await bff?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A zip made by Python's zipfile (not the console's own zip code), with some bytes to make it unique. */
function zipOf(label: string): Buffer {
  const file = path.join(work, `${label}.zip`);
  const made = spawnSync(head.python, [
    '-c',
    `import zipfile,sys,os\nwith zipfile.ZipFile(sys.argv[1], "w") as z:\n  z.writestr("main.py", "print('${label} ${run}')")\n  z.writestr("data.bin", os.urandom(256 * 1024))`,
    file,
  ]);
  expect(made.status, made.stderr.toString()).toBe(0);
  return readFileSync(file);
}

/** An upload whose body stops half-way until `finish()` is called: an upload still arriving. */
function heldUpload(bytes: Buffer): { answer: Promise<RecordedResponse>; finish: () => void } {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const half = Math.floor(bytes.length / 2);
  let step = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (step++ === 0) {
        controller.enqueue(new Uint8Array(bytes.subarray(0, half)));
        return;
      }
      await finished;
      controller.enqueue(new Uint8Array(bytes.subarray(half)));
      controller.close();
    },
  });
  return { answer: client.put(packages, body, 'application/zip'), finish };
}

const spooled = () => (readdirSync(spool, { withFileTypes: true }) ?? []).map((e) => e.name);

/** Whether the Ray head holds the package (Ray's own package endpoint, asked directly). */
async function rayHas(uri: string): Promise<boolean> {
  const name = uri.replace('gcs://', '');
  const res = await fetch(`${head.dashboardUrl}/api/packages/gcs/${name}`, {
    headers: { authorization: `Bearer ${head.token}` },
  });
  await res.arrayBuffer();
  return res.status === 200;
}

describe('package uploads on a replica', () => {
  it('spools to UPLOAD_DIR, refuses an upload past UPLOAD_CONCURRENCY with a 503 naming it, and loses nothing', async () => {
    const [a, b, c] = [zipOf('a'), zipOf('b'), zipOf('c')];
    const first = heldUpload(a);
    const second = heldUpload(b);
    // Both are being written to the configured folder, one temp folder each.
    const during = await waitFor('two uploads spooled in UPLOAD_DIR', () => {
      try {
        const names = spooled();
        return names.length === 2 ? names : undefined;
      } catch {
        return undefined;
      }
    });
    expect(during.every((n) => n.startsWith('ray-console-pkg-'))).toBe(true);

    // A third, complete upload while both are under way: refused at once, nothing of it kept.
    const refused = await client.put(packages, c, 'application/zip');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('10');
    const error = refused.json<ApiErrorBody>().error;
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain('already receiving 2 package uploads');
    expect(error.message).toContain('UPLOAD_CONCURRENCY=2');
    expect(spooled().sort()).toEqual([...during].sort());

    // The two under way finish, and Ray has both.
    first.finish();
    second.finish();
    const done = await Promise.all([first.answer, second.answer]);
    for (const res of done) expect(res.status, res.text).toBe(200);
    const [upA, upB] = done.map((r) => PackageUploadResponse.strict().parse(r.json()));
    expect(upA).toMatchObject({ uploaded: true, sizeBytes: a.length, files: 2 });
    expect(upB).toMatchObject({ uploaded: true, sizeBytes: b.length, files: 2 });
    expect(await rayHas(upA!.uri)).toBe(true);
    expect(await rayHas(upB!.uri)).toBe(true);
    // The spool is cleaned up once Ray has the bytes.
    expect(spooled()).toEqual([]);

    // The refused one goes through when sent again, and leaves nothing behind either.
    const again = await client.put(packages, c, 'application/zip');
    expect(again.status, again.text).toBe(200);
    const upC = PackageUploadResponse.strict().parse(again.json());
    expect(upC).toMatchObject({ uploaded: true, sizeBytes: c.length });
    expect(await rayHas(upC.uri)).toBe(true);
    expect(spooled()).toEqual([]);
  });

  it('frees the slot of an upload that fails, so a failed upload never shrinks the cap', async () => {
    for (let i = 0; i < 3; i++) {
      const bad = await client.put(packages, Buffer.from(`not a zip ${i}`), 'application/zip');
      expect(bad.status).toBe(400);
    }
    const ok = await client.put(packages, zipOf('after-failures'), 'application/zip');
    expect(ok.status, ok.text).toBe(200);
    expect(spooled()).toEqual([]);
  });
});
