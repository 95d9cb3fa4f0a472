import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { packageName, spoolFolder, spoolZip, unsafePathReason, zipEntryCount, zipFiles } from './package-upload.js';

const made: string[] = [];
const tmp = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pkg-test-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function files(dir: string, entries: Record<string, string>) {
  return Object.entries(entries).map(([name, content], i) => {
    const file = path.join(dir, `in${i}`);
    writeFileSync(file, content);
    return { name, file };
  });
}

/** A multipart body as a browser's FormData makes it. */
async function multipart(parts: Record<string, string>): Promise<{ body: Readable; contentType: string }> {
  const form = new FormData();
  for (const [name, content] of Object.entries(parts)) form.append('files', new Blob([content]), name);
  const res = new Response(form);
  const bytes = Buffer.from(await res.arrayBuffer());
  return { body: Readable.from([bytes]), contentType: res.headers.get('content-type')! };
}

describe('zipFiles', () => {
  it('gives the same bytes, and so the same package name, for the same files in any order', async () => {
    const dir = tmp();
    const a = files(dir, { 'main.py': 'print(1)\n', 'pkg/util.py': 'x = 1\n', 'data/z.txt': 'z' });
    const first = await zipFiles(a, path.join(dir, 'one.zip'));
    const second = await zipFiles([...a].reverse(), path.join(dir, 'two.zip'));
    expect(second).toEqual(first);
    expect(readFileSync(path.join(dir, 'one.zip'))).toEqual(readFileSync(path.join(dir, 'two.zip')));
    expect(packageName(first.sha1)).toMatch(/^_ray_pkg_[0-9a-f]{40}\.zip$/);
    // A changed byte is another package.
    const changed = files(tmp(), { 'main.py': 'print(2)\n', 'pkg/util.py': 'x = 1\n', 'data/z.txt': 'z' });
    expect((await zipFiles(changed, path.join(dir, 'three.zip'))).sha1).not.toBe(first.sha1);
  });

  it('puts the files at the zip’s root, sorted, with their relative paths', async () => {
    const dir = tmp();
    await zipFiles(files(dir, { 'b.py': 'b', 'a/c.py': 'c' }), path.join(dir, 'p.zip'));
    const bytes = readFileSync(path.join(dir, 'p.zip'));
    // Local file headers name the entries in order.
    const names: string[] = [];
    for (let i = bytes.indexOf('PK\u0003\u0004'); i >= 0; i = bytes.indexOf('PK\u0003\u0004', i + 4)) {
      const nameLength = bytes.readUInt16LE(i + 26);
      names.push(bytes.subarray(i + 30, i + 30 + nameLength).toString());
    }
    expect(names).toEqual(['a/c.py', 'b.py']);
    expect(await zipEntryCount(path.join(dir, 'p.zip'), bytes.length)).toBe(2);
  });
});

describe('spoolZip', () => {
  it('keeps the body in a temp file with its SHA-1 and size, and refuses what is not a zip or too large', async () => {
    const dir = tmp();
    await zipFiles(files(dir, { 'main.py': 'print(1)\n' }), path.join(dir, 'p.zip'));
    const bytes = readFileSync(path.join(dir, 'p.zip'));
    const pkg = await spoolZip(Readable.from([bytes.subarray(0, 10), bytes.subarray(10)]));
    expect(pkg).toMatchObject({ sizeBytes: bytes.length, files: 1 });
    expect(readFileSync(pkg.file)).toEqual(bytes);
    await pkg.dispose();
    await expect(spoolZip(Readable.from([Buffer.from('hello, not a zip; hello, not a zip')]))).rejects.toMatchObject({
      code: 'validation',
    });
    await expect(spoolZip(Readable.from([bytes]), { maxBytes: bytes.length - 1 })).rejects.toMatchObject({
      code: 'payload_too_large',
    });
  });
});

describe('spoolFolder', () => {
  it('zips a multipart folder upload by relative path, deterministically', async () => {
    const a = await multipart({ 'main.py': 'print(1)', 'sub/data.txt': 'hi' });
    const b = await multipart({ 'sub/data.txt': 'hi', 'main.py': 'print(1)' });
    const one = await spoolFolder(a.body, a.contentType);
    const two = await spoolFolder(b.body, b.contentType);
    expect(one.sha1).toBe(two.sha1);
    expect(one.files).toBe(2);
    await one.dispose();
    await two.dispose();
  });

  it('refuses unsafe or repeated paths, an empty folder, and too many bytes', async () => {
    const upload = async (parts: Record<string, string>, maxBytes?: number) => {
      const { body, contentType } = await multipart(parts);
      return spoolFolder(body, contentType, maxBytes ? { maxBytes } : {});
    };
    await expect(upload({ '../x.py': 'x' })).rejects.toMatchObject({ code: 'validation' });
    await expect(upload({ '/etc/x': 'x' })).rejects.toMatchObject({ code: 'validation' });
    await expect(upload({})).rejects.toMatchObject({ code: 'validation' });
    await expect(upload({ 'a.py': '12345', 'b.py': '67890' }, 8)).rejects.toMatchObject({ code: 'payload_too_large' });
  });
});

describe('unsafePathReason', () => {
  it('allows plain relative paths only', () => {
    expect(unsafePathReason('src/main.py')).toBeUndefined();
    expect(unsafePathReason('.hidden/file')).toBeUndefined();
    for (const bad of ['', '/abs', 'a/../b', './a', 'a//b', 'a\\b', 'a/', 'x\u0000y', '..']) {
      expect(unsafePathReason(bad), bad).toBeDefined();
    }
  });
});
