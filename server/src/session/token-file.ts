import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { LoginRequest } from '@ray-console/shared';

/**
 * Reading a cluster token the console holds itself (`tokenFile:` in the configuration, usually a mounted
 * Kubernetes Secret key). The rules are the sign-in prompt's (`LoginRequest`): printable ASCII on one
 * line, at most 8000 characters, surrounding whitespace (a Secret's trailing newline) ignored. A problem
 * says what is wrong and what to change; it names the file but never quotes its content, which may be a
 * token or most of one.
 */
export type TokenFileRead =
  { token: string; problem?: undefined } | { token?: undefined; problem: string; kind: TokenFileProblem };

/** What is wrong with a token file, in a word (for answers that must not name the path). */
export type TokenFileProblem = 'missing' | 'unreadable' | 'folder' | 'too-large' | 'empty' | 'invalid';

const problem = (kind: TokenFileProblem, text: string): TokenFileRead => ({ problem: text, kind });

/** A file larger than this is not a token file (a token is at most 8000 characters and some whitespace). */
const MAX_TOKEN_FILE_BYTES = 16 * 1024;

/** Reads and checks a token file at start (synchronously, like the rest of the configuration). */
export function readTokenFileSync(file: string): TokenFileRead {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return problem('folder', isFolder(file));
    if (stat.size > MAX_TOKEN_FILE_BYTES) return problem('too-large', tooLarge(file, stat.size));
    const buffer = Buffer.alloc(MAX_TOKEN_FILE_BYTES + 1);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return checkContent(file, buffer.subarray(0, length));
  } catch (err) {
    return cannotRead(file, err);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Reads and checks a token file again (after it changed), without blocking the event loop. */
export async function readTokenFile(file: string): Promise<TokenFileRead> {
  let handle;
  try {
    handle = await open(file, 'r');
    const stat = await handle.stat();
    if (stat.isDirectory()) return problem('folder', isFolder(file));
    if (stat.size > MAX_TOKEN_FILE_BYTES) return problem('too-large', tooLarge(file, stat.size));
    const buffer = Buffer.alloc(MAX_TOKEN_FILE_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return checkContent(file, buffer.subarray(0, bytesRead));
  } catch (err) {
    return cannotRead(file, err);
  } finally {
    await handle?.close();
  }
}

function checkContent(file: string, bytes: Buffer): TokenFileRead {
  // Read to one byte past the limit, so a file that grew after the stat is still caught.
  if (bytes.length > MAX_TOKEN_FILE_BYTES) return problem('too-large', tooLarge(file, bytes.length));
  const text = bytes.toString('latin1');
  const parsed = LoginRequest.shape.token.safeParse(text);
  if (!parsed.success) {
    return problem(
      'invalid',
      `the token file ${file} does not hold a valid token: a token is printable ASCII on one line, ` +
        'at most 8000 characters. Put only the cluster token in it (for a Kubernetes Secret, the auth_token key).',
    );
  }
  if (parsed.data === '') {
    return problem('empty', `the token file ${file} is empty; put the cluster's token in it.`);
  }
  return { token: parsed.data };
}

const isFolder = (file: string) =>
  `the token file ${file} is a folder; name the file inside it that holds the token (for a mounted Secret, <mount path>/auth_token).`;

const tooLarge = (file: string, size: number) =>
  `the token file ${file} is ${size} bytes, too large for a token (at most 8000 characters); point tokenFile at the file that holds only the token.`;

function cannotRead(file: string, err: unknown): TokenFileRead {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return problem('missing', `the token file ${file} does not exist; mount the Secret there or correct the path.`);
    case 'EACCES':
    case 'EPERM':
      return problem(
        'unreadable',
        `the token file ${file} cannot be read by the console's user (${code}); make it readable by that user (for a Secret volume, defaultMode or fsGroup).`,
      );
    case 'EISDIR':
      return problem('folder', isFolder(file));
    default:
      return problem('unreadable', `the token file ${file} cannot be read (${code ?? 'error'}).`);
  }
}
