// `npm start`: builds the console and serves it on http://127.0.0.1:8080 (PORT changes it). With no
// cluster configured (no RAY_DASHBOARD_URL, no RAY_CONSOLE_CONFIG) it first starts a local Ray head with
// token authentication, so a fresh machine has something to sign in to.
// `npm run dev` does the same with the BFF restarting on change and Vite's dev server for the web app.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RAY_VERSION, repoRoot } from './lib/paths.mjs';
import { startRayHead } from './lib/ray-head.mjs';

const dev = process.argv.includes('--dev');
const say = (line) => process.stdout.write(`${line}\n`);

function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit', cwd: repoRoot, ...options });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} failed (${code})`)),
    );
  });
}

if (!dev) {
  say('Building Ray Console...');
  await run('npm', ['run', '--silent', 'build']);
}

const env = { ...process.env };
let head;
if (!env.RAY_DASHBOARD_URL && !env.RAY_CONSOLE_CONFIG) {
  const demoDir = path.join(repoRoot, 'data', 'demo-head');
  mkdirSync(demoDir, { recursive: true, mode: 0o700 });
  const tokenFile = path.join(demoDir, 'auth_token');
  // Keep the token across restarts, so a session signed in yesterday still works today.
  const token = existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : undefined;
  say(`No cluster configured: starting a local Ray ${RAY_VERSION} head with token authentication...`);
  head = await startRayHead({ version: RAY_VERSION, token, workDir: demoDir, log: say });
  const tokenCommand = `RAY_AUTH_MODE=token RAY_AUTH_TOKEN_PATH=${tokenFile} ${head.ray} get-auth-token`;
  env.RAY_DASHBOARD_URL = head.dashboardUrl;
  env.RAY_CONSOLE_DEMO_TOKEN_COMMAND = tokenCommand;
  env.DATA_DIR ??= path.join(repoRoot, 'data');
  env.SESSION_STORE ??= `sqlite:${path.join(env.DATA_DIR, 'sessions.db')}`;
  const port = env.PORT ?? '8080';
  say('');
  say('Ray Console with a local Ray head');
  say(`  Console:       http://127.0.0.1:${port}  (choose "Local Ray head", then paste the token)`);
  say(`  Ray dashboard: ${head.dashboardUrl}`);
  say(`  Token file:    ${tokenFile}`);
  say(`  Token:         ${head.token}`);
  say(`  Print it again: ${tokenCommand}`);
  say('');
}

env.WEB_DIST ??= path.join(repoRoot, 'web', 'dist');
const server = dev
  ? spawn('npx', ['tsx', 'watch', '--clear-screen=false', 'server/src/index.ts'], {
      cwd: repoRoot,
      env: { ...env, WEB_DIST: '' },
      stdio: 'inherit',
    })
  : spawn(process.execPath, ['server/dist/index.js'], { cwd: repoRoot, env, stdio: 'inherit' });
const vite = dev ? spawn('npm', ['run', 'dev', '-w', 'web'], { cwd: repoRoot, env, stdio: 'inherit' }) : undefined;

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  server.kill('SIGTERM');
  vite?.kill('SIGTERM');
  await head?.stop();
  process.exit(code);
}
server.on('exit', (code) => void stop(code ?? 0));
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
