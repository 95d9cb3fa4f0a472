import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import yazl from 'yazl';
import { MAX_PACKAGE_BYTES } from '@ray-console/shared';
import { AppError } from '../../lib/app-error.js';

/** A package zip waiting in a temp folder to be sent to Ray. */
export interface SpooledPackage {
  /** The zip file. */
  file: string;
  sha1: string;
  sizeBytes: number;
  /** Entries in the zip, where known. */
  files?: number;
  /** Removes the temp folder; safe to call twice. */
  dispose(): Promise<void>;
}

export interface SpoolOptions {
  /** Largest zip (and largest sum of a folder's files) accepted; Ray's own limit by default. */
  maxBytes?: number;
  /** Most files in a folder upload. */
  maxFiles?: number;
  /** Where temp folders go (the OS temp folder by default). */
  tmpDir?: string;
}

/** Most files in one folder upload. */
export const MAX_PACKAGE_FILES = 20_000;
/** What a folder's multipart body may carry beyond its files' bytes (part headers, up to the file limit). */
export const MULTIPART_OVERHEAD_BYTES = 8 * 1024 * 1024;
/** DOS time has no time zone: a date built from local parts gives the same bytes in every zone. */
const FIXED_MTIME = new Date(2000, 0, 1, 0, 0, 0);

/** Ray's package naming: `_ray_pkg_<sha1 of the zip bytes>.zip`. */
export const packageName = (sha1: string): string => `_ray_pkg_${sha1}.zip`;

export function tooLarge(maxBytes: number): AppError {
  const mib = Math.round(maxBytes / (1024 * 1024));
  return new AppError(
    'payload_too_large',
    `The package is larger than ${mib} MiB, the most a Ray cluster accepts for one upload. Leave data files out of the working directory (read them from storage in the job instead), or use a remote .zip URI.`,
    undefined,
    { params: { maxMiB: mib } },
  );
}

/** Counts (and hashes) the bytes going by, and fails past the limit. */
class Meter extends Transform {
  readonly hash = createHash('sha1');
  bytes = 0;

  constructor(
    private readonly maxBytes: number,
    /** Bytes counted elsewhere against the same limit (other files of one folder). */
    private readonly shared?: { bytes: number },
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.shared) this.shared.bytes += chunk.length;
    if ((this.shared ?? this).bytes > this.maxBytes) {
      callback(tooLarge(this.maxBytes));
      return;
    }
    if (!this.shared) this.hash.update(chunk);
    callback(null, chunk);
  }
}

/**
 * Reads a request body through `target`. Unlike `pipeline`, a failure does not destroy the request (that
 * would reset the connection before the 413 or 400 can be answered): the rest of the body is read and
 * dropped instead.
 */
function readBody(body: Readable, target: NodeJS.WritableStream & Transform): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      body.unpipe(target);
      body.resume();
      reject(err);
    };
    body.on('error', fail);
    target.on('error', fail);
    body.on('aborted', () => fail(new AppError('bad_request', 'The upload was cut off before it ended.')));
    target.on('finish', () => {
      settled = true;
      resolve();
    });
    body.pipe(target);
  });
}

async function tempFolder(options: SpoolOptions): Promise<{ dir: string; dispose: () => Promise<void> }> {
  const base = options.tmpDir ?? os.tmpdir();
  // UPLOAD_DIR is usually a volume of its own; make its folder if the mount left it out.
  await mkdir(base, { recursive: true, mode: 0o700 });
  const dir = await mkdtemp(path.join(base, 'ray-console-pkg-'));
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** A `.zip` request body, written to a temp file while its SHA-1 is computed. */
export async function spoolZip(body: Readable, options: SpoolOptions = {}): Promise<SpooledPackage> {
  const maxBytes = options.maxBytes ?? MAX_PACKAGE_BYTES;
  const { dir, dispose } = await tempFolder(options);
  try {
    const file = path.join(dir, 'package.zip');
    const meter = new Meter(maxBytes);
    const written = pipeline(meter, createWriteStream(file));
    await Promise.all([readBody(body, meter), written]);
    const files = await zipEntryCount(file, meter.bytes);
    return {
      file,
      sha1: meter.hash.digest('hex'),
      sizeBytes: meter.bytes,
      ...(files !== undefined ? { files } : {}),
      dispose,
    };
  } catch (err) {
    await dispose();
    throw err;
  }
}

/**
 * The number of entries a zip's end-of-central-directory record gives, which also shows that the file is
 * a zip; `undefined` for a ZIP64 archive (the count is elsewhere there).
 */
export async function zipEntryCount(file: string, size: number): Promise<number | undefined> {
  const notZip = () =>
    new AppError('validation', 'The upload is not a .zip file.', {
      package: 'Choose a .zip file, or upload a folder.',
    });
  if (size < 22) throw notZip();
  const tailLength = Math.min(size, 22 + 0xffff);
  const handle = await open(file, 'r');
  try {
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        const entries = tail.readUInt16LE(i + 10);
        return entries === 0xffff ? undefined : entries;
      }
    }
  } finally {
    await handle.close();
  }
  throw notZip();
}

/**
 * Why a relative path from a folder upload cannot go into the zip, or `undefined` when it can. Ray
 * unpacks the zip on every node, so nothing may point outside the folder.
 */
export function unsafePathReason(p: string): string | undefined {
  if (p === '') return 'a file has no name';
  if (p.length > 1024) return 'a path is longer than 1024 characters';
  if ([...p].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return 'a path holds a control character';
  if (p.includes('\\')) return `"${p}" holds a backslash; send paths with "/"`;
  if (p.startsWith('/')) return `"${p}" is absolute; send paths relative to the folder`;
  if (p.split('/').some((s) => s === '' || s === '.' || s === '..')) return `"${p}" has an empty, "." or ".." part`;
  return undefined;
}

/**
 * A folder sent as `multipart/form-data` (one file part per file, the part's file name being the path
 * relative to the folder), spooled file by file to a temp folder and zipped there.
 */
export async function spoolFolder(
  body: Readable,
  contentType: string,
  options: SpoolOptions = {},
): Promise<SpooledPackage> {
  const maxBytes = options.maxBytes ?? MAX_PACKAGE_BYTES;
  const maxFiles = options.maxFiles ?? MAX_PACKAGE_FILES;
  const { dir, dispose } = await tempFolder(options);
  try {
    const files = await receiveFiles(body, contentType, dir, maxBytes, maxFiles);
    if (files.length === 0) {
      throw new AppError('validation', 'The folder upload holds no files.', {
        files: 'Choose a folder that has files in it.',
      });
    }
    const zip = path.join(dir, 'package.zip');
    const { sha1, sizeBytes } = await zipFiles(files, zip, maxBytes);
    return { file: zip, sha1, sizeBytes, files: files.length, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

interface ReceivedFile {
  /** Path inside the zip. */
  name: string;
  /** Where it waits on disk. */
  file: string;
}

function receiveFiles(
  body: Readable,
  contentType: string,
  dir: string,
  maxBytes: number,
  maxFiles: number,
): Promise<ReceivedFile[]> {
  return new Promise<ReceivedFile[]>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        // Keep the relative path the browser gives as the part's file name (busboy drops it by default).
        preservePath: true,
        limits: { files: maxFiles, fileSize: maxBytes, fields: 100, fieldSize: 64 * 1024 },
      });
    } catch {
      reject(new AppError('bad_request', 'The multipart body cannot be read (no boundary in Content-Type).'));
      return;
    }
    const received: ReceivedFile[] = [];
    const names = new Set<string>();
    const writes: Promise<void>[] = [];
    const total = { bytes: 0 };
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      body.unpipe(parser);
      body.resume();
      reject(err);
    };

    parser.on('file', (_field, stream, info) => {
      if (failed) {
        stream.resume();
        return;
      }
      const name = info.filename ?? '';
      const why = unsafePathReason(name);
      if (why) {
        stream.resume();
        fail(new AppError('validation', `The folder upload cannot be zipped: ${why}.`, { files: why }));
        return;
      }
      if (names.has(name)) {
        stream.resume();
        fail(
          new AppError('validation', `The folder upload has "${name}" twice.`, { files: `"${name}" appears twice.` }),
        );
        return;
      }
      names.add(name);
      const file = path.join(dir, `f${received.length}`);
      received.push({ name, file });
      stream.on('limit', () => fail(tooLarge(maxBytes)));
      writes.push(
        pipeline(stream, new Meter(maxBytes, total), createWriteStream(file)).catch((err: unknown) => {
          // Keep the parser going (it must see the end of the body); the rest of this file is dropped.
          stream.resume();
          fail(err);
        }),
      );
    });
    parser.on('filesLimit', () =>
      fail(
        new AppError('validation', `The folder has more than ${maxFiles} files.`, {
          files: `At most ${maxFiles} files.`,
        }),
      ),
    );
    parser.on('error', () => fail(new AppError('bad_request', 'The multipart body is malformed or was cut off.')));
    parser.on('close', () => {
      void Promise.all(writes).then(() => {
        if (!failed) resolve(received);
      });
    });
    body.on('error', (err) => fail(err));
    body.pipe(parser);
  });
}

/**
 * Zips files with everything that could vary fixed: names sorted, one timestamp, one mode, no extra
 * timestamp fields. The same files therefore always give the same bytes, the same SHA-1, and so the
 * same package URI, which Ray then stores once.
 */
export async function zipFiles(
  files: readonly ReceivedFile[],
  out: string,
  maxBytes = MAX_PACKAGE_BYTES,
): Promise<{ sha1: string; sizeBytes: number }> {
  const zip = new yazl.ZipFile();
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const f of sorted) {
    zip.addFile(f.file, f.name, { mtime: FIXED_MTIME, mode: 0o100644, compress: true, forceDosTimestamp: true });
  }
  zip.end();
  const meter = new Meter(maxBytes);
  await pipeline(zip.outputStream, meter, createWriteStream(out));
  return { sha1: meter.hash.digest('hex'), sizeBytes: meter.bytes };
}

/** The zip as a web stream, for the request to Ray. */
export function packageBody(pkg: SpooledPackage): ReadableStream<Uint8Array> {
  // toWeb's type comes from node:stream/web; the Ray client takes the global ReadableStream.
  return Readable.toWeb(createReadStream(pkg.file)) as unknown as ReadableStream<Uint8Array>;
}
