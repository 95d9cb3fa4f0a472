import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

/**
 * A network namespace of the test's own, joined to this machine by a veth pair, standing in for a Pod.
 *
 * Why: the API server's service proxy only goes to a Pod's address, and never to a loopback one, while
 * tests may send traffic only to loopback or to test hosts in network namespaces they made themselves.
 * So the stand-in Pod's address is the namespace's end of the pair, and what listens there is a TCP
 * forwarder (run inside the namespace) to a Unix socket that the test serves on this side: the test's own
 * servers stay ordinary in-process servers, and no packet goes to an address the test did not create.
 * Creating namespaces needs root (CI runs as root) and iproute2's `ip`.
 */
export interface PodNetwork {
  /** The stand-in Pod's address (inside the namespace). */
  podIp: string;
  /** Listens on `podIp` inside the namespace and forwards each connection to `server`; gives the port. */
  expose(server: net.Server): Promise<number>;
  close(): Promise<void>;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

// Runs inside the namespace: a TCP listener on the Pod's address whose connections go to a Unix socket.
const FORWARDER = `
const net = require('node:net');
const [host, socketPath] = process.argv.slice(1);
const server = net.createServer((socket) => {
  const upstream = net.connect(socketPath);
  socket.pipe(upstream).pipe(socket);
  socket.on('error', () => upstream.destroy());
  upstream.on('error', () => socket.destroy());
});
server.listen(0, host, () => console.log(server.address().port));
process.on('SIGTERM', () => process.exit(0));
`;

export async function startPodNetwork(): Promise<PodNetwork> {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'This test makes a network namespace for a stand-in Pod, which needs root (CI runs as root); run it as root.',
    );
  }
  const tag = `${process.pid % 10_000}${randomInt(1000, 9999)}`;
  const name = `rc-test-${tag}`;
  const hostLink = `rch${tag}`;
  const podLink = `rcp${tag}`;
  // A /30 of 10.213.0.0/16 picked at random: two test runs on one machine do not share it.
  const base = randomInt(0, 16_384) * 4;
  const subnet = `10.213.${base >> 8}.${base & 255}`.split('.').map(Number);
  const at = (n: number) => `${subnet[0]}.${subnet[1]}.${subnet[2]}.${subnet[3]! + n}`;
  const hostIp = at(1);
  const podIp = at(2);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rc-pod-'));
  const children: ChildProcess[] = [];
  const sockets: net.Server[] = [];

  const close = async () => {
    for (const child of children) child.kill('SIGTERM');
    for (const s of sockets) s.close();
    try {
      ip('link', 'del', hostLink); // takes the namespace's end with it
    } catch {
      // never created
    }
    try {
      ip('netns', 'del', name);
    } catch {
      // never created
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    ip('netns', 'add', name);
    ip('link', 'add', hostLink, 'type', 'veth', 'peer', 'name', podLink);
    ip('link', 'set', podLink, 'netns', name);
    ip('addr', 'add', `${hostIp}/30`, 'dev', hostLink);
    ip('link', 'set', hostLink, 'up');
    ip('netns', 'exec', name, 'ip', 'addr', 'add', `${podIp}/30`, 'dev', podLink);
    ip('netns', 'exec', name, 'ip', 'link', 'set', podLink, 'up');
    ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
  } catch (err) {
    await close();
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`Could not make the stand-in Pod's network namespace: ${stderr || (err as Error).message}`, {
      cause: err,
    });
  }

  return {
    podIp,
    async expose(server) {
      const socketPath = path.join(dir, `s${sockets.length}.sock`);
      const unix = net.createServer((socket) => server.emit('connection', socket));
      await new Promise<void>((resolve) => unix.listen(socketPath, resolve));
      sockets.push(unix);
      const child = spawn('ip', ['netns', 'exec', name, process.execPath, '-e', FORWARDER, podIp, socketPath], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      const port = await new Promise<number>((resolve, reject) => {
        const lines = createInterface({ input: child.stdout! });
        lines.once('line', (line) => resolve(Number(line)));
        child.once('exit', (code) => reject(new Error(`the forwarder in ${name} exited (${code}) before listening`)));
      });
      return port;
    },
    close,
  };
}
