import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const SECRET = 'config-test-secret-0123456789abcdef';
const OTHER_SECRET = 'config-test-secret-rotated-0123456789';

/** The message of the ConfigError that `fn` throws (fails the test when it throws something else). */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

function yamlFile(text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'config-test-'));
  const file = path.join(dir, 'clusters.yaml');
  writeFileSync(file, text);
  return file;
}

describe('loadConfig', () => {
  it('starts with nothing but a secret, with the documented defaults', () => {
    const config = loadConfig({ SESSION_SECRET: SECRET });
    expect(config.port).toBe(8080);
    expect(config.host).toBe('127.0.0.1');
    expect(config.loginRateLimitPerMinute).toBe(10);
    expect(config.sessionIdleMs).toBe(30 * 60_000);
    expect(config.sessionAbsoluteMs).toBe(12 * 3_600_000);
    expect(config.trustProxy).toBe(false);
    expect(config.secureCookies).toBe(false);
    expect(config.sessionStore).toEqual({ kind: 'sqlite', file: path.resolve('./data/sessions.db') });
    expect(config.clusters).toEqual([]);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('keeps the session store in DATA_DIR unless SESSION_STORE says otherwise', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'config-test-data-'));
    expect(loadConfig({ SESSION_SECRET: SECRET, DATA_DIR: dir }).sessionStore).toEqual({
      kind: 'sqlite',
      file: path.join(dir, 'sessions.db'),
    });
    expect(
      loadConfig({ SESSION_SECRET: SECRET, DATA_DIR: dir, SESSION_STORE: 'sqlite:/tmp/elsewhere.db' }).sessionStore,
    ).toEqual({
      kind: 'sqlite',
      file: '/tmp/elsewhere.db',
    });
  });

  it('lists every bad key in one error, so an operator fixes them all at once', () => {
    const err = configError(() =>
      loadConfig({
        PORT: 'eighty',
        SESSION_IDLE_MINUTES: '-5',
        TRUST_PROXY: 'yes',
        LOG_LEVEL: 'loud',
        RAY_DASHBOARD_URL: 'ftp://head:8265',
        SESSION_STORE: 'mysql://db',
        SESSION_SECRET: 'short',
      }),
    );
    for (const key of [
      'PORT',
      'SESSION_IDLE_MINUTES',
      'TRUST_PROXY',
      'LOG_LEVEL',
      'RAY_DASHBOARD_URL',
      'SESSION_STORE',
      'SESSION_SECRET',
    ]) {
      expect(err.message).toContain(`${key}:`);
    }
    expect(err.problems.length).toBeGreaterThanOrEqual(7);
  });

  it('requires SESSION_SECRET outside the demo, and says how to make one', () => {
    const err = configError(() => loadConfig({}));
    expect(err.problems).toEqual([expect.stringMatching(/^SESSION_SECRET: .*openssl rand -hex 32/)]);
    expect(() => loadConfig({ SESSION_SECRET: ' , ' })).toThrow(/SESSION_SECRET/);
  });

  it('lets the demo (`npm start` with its own head) start without a secret', () => {
    const config = loadConfig({
      RAY_CONSOLE_DEMO_TOKEN_COMMAND: 'cat /tmp/x/auth_token',
      RAY_DASHBOARD_URL: 'http://127.0.0.1:8265',
    });
    expect(config.demo).toBe(true);
    expect(config.sessionSecrets).toBeUndefined();
    expect(config.clusters[0]?.tokenHint?.command).toBe('cat /tmp/x/auth_token');
  });

  it('refuses secrets shorter than 32 characters, also in a rotation list', () => {
    expect(() => loadConfig({ SESSION_SECRET: `${SECRET},short` })).toThrow(/at least 32 characters/);
    expect(loadConfig({ SESSION_SECRET: ` ${OTHER_SECRET} , ${SECRET} ` }).sessionSecrets).toEqual([
      OTHER_SECRET,
      SECRET,
    ]);
  });

  it('takes RAY_DASHBOARD_URL as the "default" cluster', () => {
    const config = loadConfig({ SESSION_SECRET: SECRET, RAY_DASHBOARD_URL: 'http://127.0.0.1:8265' });
    expect(config.clusters).toEqual([
      expect.objectContaining({ id: 'default', dashboardUrl: 'http://127.0.0.1:8265', displayName: 'Default cluster' }),
    ]);
  });

  it('reads clusters from the YAML file, with the id as the default display name', () => {
    const file = yamlFile(
      'clusters:\n  - id: a\n    dashboardUrl: http://127.0.0.1:8265\n  - id: b\n    displayName: Cluster B\n    dashboardUrl: https://b.example.com\n',
    );
    const config = loadConfig({ SESSION_SECRET: SECRET, RAY_CONSOLE_CONFIG: file });
    expect(config.clusters.map((c) => [c.id, c.displayName, c.dashboardUrl])).toEqual([
      ['a', 'a', 'http://127.0.0.1:8265'],
      ['b', 'Cluster B', 'https://b.example.com'],
    ]);
  });

  it('names the file and the field when the YAML holds a bad value', () => {
    const file = yamlFile(
      'clusters:\n  - id: a\n    dashboardUrl: not-a-url\n  - id: "has space"\n    dashboardUrl: http://x:8265\n',
    );
    const err = configError(() => loadConfig({ SESSION_SECRET: SECRET, RAY_CONSOLE_CONFIG: file }));
    expect(err.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*clusters\\.0\\.dashboardUrl: Use an http`),
        ),
        expect.stringContaining(`${file}.clusters.1.id:`),
      ]),
    );
  });

  it('names the file for unknown keys, broken YAML and a missing file', () => {
    const unknownKey = yamlFile('clusterz: []\n');
    expect(configError(() => loadConfig({ SESSION_SECRET: SECRET, RAY_CONSOLE_CONFIG: unknownKey })).message).toMatch(
      new RegExp(`${unknownKey.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*clusterz`),
    );
    const broken = yamlFile('clusters: [\n  - id: a\n');
    expect(configError(() => loadConfig({ SESSION_SECRET: SECRET, RAY_CONSOLE_CONFIG: broken })).message).toContain(
      `${broken} is not valid YAML`,
    );
    const missing = path.join(os.tmpdir(), 'no-such-dir-ray-console', 'clusters.yaml');
    expect(configError(() => loadConfig({ SESSION_SECRET: SECRET, RAY_CONSOLE_CONFIG: missing })).message).toContain(
      `cannot read ${missing} (ENOENT)`,
    );
  });

  it('refuses the same cluster id twice', () => {
    const file = yamlFile('clusters:\n  - id: default\n    dashboardUrl: http://127.0.0.1:8265\n');
    expect(() =>
      loadConfig({ SESSION_SECRET: SECRET, RAY_DASHBOARD_URL: 'http://127.0.0.1:8265', RAY_CONSOLE_CONFIG: file }),
    ).toThrow(/"default" is used twice/);
  });

  it('lists YAML problems and environment problems together', () => {
    const file = yamlFile('clusters:\n  - id: a\n    dashboardUrl: nope\n');
    const err = configError(() => loadConfig({ RAY_CONSOLE_CONFIG: file, PORT: '99999' }));
    expect(err.message).toContain('PORT:');
    expect(err.message).toContain('SESSION_SECRET:');
    expect(err.message).toContain(`${file}.clusters.0.dashboardUrl`);
  });

  it('takes idle timeout and absolute lifetime, fractions included', () => {
    const config = loadConfig({
      SESSION_SECRET: SECRET,
      SESSION_IDLE_MINUTES: '0.5',
      SESSION_ABSOLUTE_HOURS: '0.0003',
    });
    expect(config.sessionIdleMs).toBe(30_000);
    expect(config.sessionAbsoluteMs).toBeCloseTo(1080, 6);
  });

  it('makes cookies Secure and trusts PUBLIC_URL as an allowed origin when it is https', () => {
    const config = loadConfig({
      SESSION_SECRET: SECRET,
      PUBLIC_URL: 'https://ray-console.example.com/some/path',
      ALLOWED_ORIGINS: 'https://proxy.example.com, ',
      TRUST_PROXY: '1',
    });
    expect(config.secureCookies).toBe(true);
    expect(config.trustProxy).toBe(1);
    expect(config.allowedOrigins).toEqual(['https://proxy.example.com', 'https://ray-console.example.com']);
    expect(loadConfig({ SESSION_SECRET: SECRET, PUBLIC_URL: 'http://console.local:8080' }).secureCookies).toBe(false);
  });

  it('takes the login rate limit from LOGIN_RATE_LIMIT_PER_MINUTE', () => {
    expect(loadConfig({ SESSION_SECRET: SECRET, LOGIN_RATE_LIMIT_PER_MINUTE: '3' }).loginRateLimitPerMinute).toBe(3);
    expect(() => loadConfig({ SESSION_SECRET: SECRET, LOGIN_RATE_LIMIT_PER_MINUTE: '0' })).toThrow(
      /LOGIN_RATE_LIMIT_PER_MINUTE/,
    );
  });

  it('knows redis session stores by their URL', () => {
    expect(loadConfig({ SESSION_SECRET: SECRET, SESSION_STORE: 'redis://cache:6379' }).sessionStore).toEqual({
      kind: 'redis',
      url: 'redis://cache:6379',
    });
  });
});

describe('loadConfig: uploads, diagnostics and the proxy warning', () => {
  it('spools uploads to the OS temp folder two at a time, and shows no metrics, details or source maps, by default', () => {
    const config = loadConfig({ SESSION_SECRET: SECRET });
    expect(config.uploads).toEqual({ dir: path.resolve(os.tmpdir()), maxConcurrent: 2, maxBytes: 100 * 1024 * 1024 });
    expect(config.metricsToken).toBeUndefined();
    expect(config.discoveryDetails).toBe('signed-in');
    expect(config.serveSourceMaps).toBe(false);
    expect(config.warnings).toEqual([]);
  });

  it('takes UPLOAD_DIR, UPLOAD_CONCURRENCY, METRICS_TOKEN, DISCOVERY_DETAILS and SERVE_SOURCE_MAPS', () => {
    const config = loadConfig({
      SESSION_SECRET: SECRET,
      DATA_DIR: '/data',
      UPLOAD_DIR: '/uploads',
      UPLOAD_CONCURRENCY: '3',
      METRICS_TOKEN: 'metrics-token-0123456789abcdef0123456789',
      DISCOVERY_DETAILS: 'everyone',
      SERVE_SOURCE_MAPS: 'true',
    });
    expect(config.uploads).toMatchObject({ dir: '/uploads', maxConcurrent: 3 });
    expect(config.metricsToken).toBe('metrics-token-0123456789abcdef0123456789');
    expect(config.discoveryDetails).toBe('everyone');
    expect(config.serveSourceMaps).toBe(true);
  });

  it('lists bad values of the new keys, and refuses an UPLOAD_DIR inside DATA_DIR', () => {
    const err = configError(() =>
      loadConfig({
        SESSION_SECRET: SECRET,
        UPLOAD_CONCURRENCY: '0',
        METRICS_TOKEN: 'short',
        DISCOVERY_DETAILS: 'all',
        SERVE_SOURCE_MAPS: 'yes',
      }),
    );
    expect(err.problems).toEqual([
      'UPLOAD_CONCURRENCY: Use a whole number from 1 to 64.',
      'METRICS_TOKEN: Use a random string of at least 32 characters (openssl rand -hex 32), or leave it unset.',
      'DISCOVERY_DETAILS: Use signed-in (the default) or everyone.',
      'SERVE_SOURCE_MAPS: Use true or false.',
    ]);
    for (const dir of ['/data', '/data/uploads']) {
      const inside = configError(() => loadConfig({ SESSION_SECRET: SECRET, DATA_DIR: '/data', UPLOAD_DIR: dir }));
      expect(inside.problems).toEqual([expect.stringContaining('UPLOAD_DIR: keep it out of DATA_DIR')]);
    }
    // A sibling whose name starts the same is not inside.
    expect(loadConfig({ SESSION_SECRET: SECRET, DATA_DIR: '/data', UPLOAD_DIR: '/data-uploads' }).uploads.dir).toBe(
      '/data-uploads',
    );
  });

  it('warns when TRUST_PROXY is on but PUBLIC_URL is not https (no Secure cookie, no HSTS behind the ingress)', () => {
    for (const PUBLIC_URL of [undefined, 'http://ray-console.example.com']) {
      const config = loadConfig({ SESSION_SECRET: SECRET, TRUST_PROXY: '1', ...(PUBLIC_URL ? { PUBLIC_URL } : {}) });
      expect(config.warnings).toEqual([
        expect.stringContaining('TRUST_PROXY is set but PUBLIC_URL is not an https://'),
      ]);
      expect(config.warnings[0]).toContain('Set PUBLIC_URL to the https:// address users open');
    }
    expect(
      loadConfig({ SESSION_SECRET: SECRET, TRUST_PROXY: '1', PUBLIC_URL: 'https://ray-console.example.com' }).warnings,
    ).toEqual([]);
    expect(loadConfig({ SESSION_SECRET: SECRET, TRUST_PROXY: 'false' }).warnings).toEqual([]);
  });
});

describe('loadConfig: clusters with a token file (managed tokens)', () => {
  const TOKEN = 'f3a1c0de'.repeat(8);

  /** A folder with a clusters.yaml naming `tokenFile` (relative to that folder) for the cluster "prod". */
  function managedConfig(extra = '', tokenFile = 'secret/auth_token'): { file: string; dir: string } {
    const file = yamlFile(
      `clusters:\n  - id: prod\n    dashboardUrl: http://ray.example:8265\n    tokenFile: ${tokenFile}\n${extra}`,
    );
    return { file, dir: path.dirname(file) };
  }

  const writeToken = (dir: string, content: string | Buffer) => {
    mkdirSync(path.join(dir, 'secret'), { recursive: true });
    writeFileSync(path.join(dir, 'secret', 'auth_token'), content);
  };

  it('takes tokenFile relative to the configuration file and keeps the prompt on by default; the config holds no token', () => {
    const { file, dir } = managedConfig();
    writeToken(dir, `${TOKEN}\n`);
    const config = loadConfig({ SESSION_SECRET: SECRET, RAY_CONSOLE_CONFIG: file });
    expect(config.clusters[0]).toMatchObject({ id: 'prod', tokenFile: path.join(dir, 'secret', 'auth_token') });
    expect(config.clusters[0]?.tokenPrompt).toBeUndefined();
    expect(JSON.stringify(config)).not.toContain(TOKEN);
  });

  it('takes tokenPrompt: false, and refuses it without a tokenFile', () => {
    const { file, dir } = managedConfig('    tokenPrompt: false\n');
    writeToken(dir, TOKEN);
    expect(loadConfig({ SESSION_SECRET: SECRET, RAY_CONSOLE_CONFIG: file }).clusters[0]?.tokenPrompt).toBe(false);
    const bare = yamlFile(
      'clusters:\n  - id: lonely\n    dashboardUrl: http://ray.example:8265\n    tokenPrompt: false\n',
    );
    expect(configError(() => loadConfig({ SESSION_SECRET: SECRET, RAY_CONSOLE_CONFIG: bare })).problems).toEqual([
      'clusters: "lonely" has tokenPrompt: false but no tokenFile, so nobody could use it; add tokenFile or remove tokenPrompt.',
    ]);
  });

  it('refuses to start when the file is missing, a folder, empty, too large or not a token, saying what to change and never quoting it', () => {
    const cases: [string | Buffer | 'missing' | 'folder', RegExp][] = [
      ['missing', /does not exist; mount the Secret there or correct the path/],
      ['folder', /is a folder; name the file inside it that holds the token/],
      ['\n  \n', /is empty; put the cluster's token in it/],
      [`${TOKEN}\n${TOKEN}\n`, /does not hold a valid token: a token is printable ASCII on one line/],
      [Buffer.from(`${TOKEN}\u00e9`, 'utf8'), /does not hold a valid token/],
      ['x'.repeat(20_000), /too large for a token/],
    ];
    for (const [content, message] of cases) {
      const { file, dir } = managedConfig();
      if (content === 'folder') mkdirSync(path.join(dir, 'secret', 'auth_token'), { recursive: true });
      else if (content !== 'missing') writeToken(dir, content);
      const err = configError(() => loadConfig({ SESSION_SECRET: SECRET, RAY_CONSOLE_CONFIG: file }));
      expect(err.problems).toHaveLength(1);
      expect(err.problems[0]).toContain(
        `clusters: "prod".tokenFile: the token file ${path.join(dir, 'secret', 'auth_token')}`,
      );
      expect(err.problems[0]).toMatch(message);
      expect(err.message).not.toContain(TOKEN);
      expect(err.message).not.toContain('xxxxxxxx');
    }
  });

  it('warns at start that without OIDC everyone who reaches the console can use a managed cluster', () => {
    const { file, dir } = managedConfig();
    writeToken(dir, TOKEN);
    const warnings = loadConfig({ SESSION_SECRET: SECRET, RAY_CONSOLE_CONFIG: file }).warnings;
    expect(warnings).toEqual([
      expect.stringContaining(
        'The clusters "prod" use a token file, and OIDC sign-in is off: everyone who can reach this console can use them',
      ),
    ]);
    expect(warnings.join('\n')).not.toContain(TOKEN);
    expect(
      loadConfig({
        SESSION_SECRET: SECRET,
        RAY_CONSOLE_CONFIG: file,
        OIDC_ISSUER_URL: 'https://idp.example',
        OIDC_CLIENT_ID: 'ray-console',
        PUBLIC_URL: 'https://console.example',
      }).warnings,
    ).toEqual([]);
  });
});

describe('loadConfig: single sign-on (OIDC_*)', () => {
  const oidc = {
    SESSION_SECRET: SECRET,
    OIDC_ISSUER_URL: 'https://keycloak.example.com/realms/acme',
    OIDC_CLIENT_ID: 'ray-console',
    PUBLIC_URL: 'https://ray-console.example.com/some/path',
  };

  it('is off without OIDC_ISSUER_URL (the anonymous mode)', () => {
    expect(loadConfig({ SESSION_SECRET: SECRET }).oidc).toBeUndefined();
  });

  it('turns on with the issuer, the client id and PUBLIC_URL; redirect URIs at the public origin', () => {
    expect(loadConfig(oidc).oidc).toEqual({
      issuerUrl: 'https://keycloak.example.com/realms/acme',
      clientId: 'ray-console',
      clientSecret: undefined,
      groupsClaim: 'groups',
      scopes: 'openid profile email',
      redirectUri: 'https://ray-console.example.com/auth/callback',
      postLogoutRedirectUri: 'https://ray-console.example.com/auth/signed-out',
    });
    const withAll = loadConfig({
      ...oidc,
      OIDC_CLIENT_SECRET: 's3cret',
      OIDC_GROUPS_CLAIM: 'roles',
      OIDC_SCOPES: ' openid  profile groups ',
    }).oidc;
    expect(withAll).toMatchObject({ clientSecret: 's3cret', groupsClaim: 'roles', scopes: 'openid profile groups' });
  });

  it('is all or nothing: half a configuration is refused, naming what to set', () => {
    expect(
      configError(() => loadConfig({ SESSION_SECRET: SECRET, OIDC_CLIENT_ID: 'x', OIDC_CLIENT_SECRET: 'y' })).problems,
    ).toEqual([expect.stringMatching(/^OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: single sign-on needs OIDC_ISSUER_URL/)]);
    const problems = configError(() =>
      loadConfig({ SESSION_SECRET: SECRET, OIDC_ISSUER_URL: 'https://idp.example.com', OIDC_SCOPES: 'profile' }),
    ).problems;
    expect(problems).toEqual([
      expect.stringMatching(/^OIDC_CLIENT_ID: set it/),
      expect.stringMatching(/^PUBLIC_URL: single sign-on needs the address users open/),
      expect.stringMatching(/^OIDC_SCOPES: include openid/),
    ]);
  });

  it('refuses a plain-http provider unless it is on this machine', () => {
    expect(
      configError(() => loadConfig({ ...oidc, OIDC_ISSUER_URL: 'http://idp.example.com/realms/a' })).problems,
    ).toEqual([expect.stringMatching(/^OIDC_ISSUER_URL: use an https:\/\/ URL/)]);
    expect(loadConfig({ ...oidc, OIDC_ISSUER_URL: 'http://127.0.0.1:8080/realms/a' }).oidc?.issuerUrl).toBe(
      'http://127.0.0.1:8080/realms/a',
    );
    expect(configError(() => loadConfig({ ...oidc, OIDC_ISSUER_URL: 'not a url' })).problems).toEqual([
      expect.stringMatching(/^OIDC_ISSUER_URL: Use the identity provider's issuer URL/),
    ]);
  });
});

describe('access: roles per cluster', () => {
  const OIDC = {
    OIDC_ISSUER_URL: 'https://idp.example.test/realms/test',
    OIDC_CLIENT_ID: 'ray-console',
    PUBLIC_URL: 'https://ray-console.example.test',
  };
  const CLUSTERS =
    'clusters:\n  - id: prod\n    dashboardUrl: http://127.0.0.1:8265\n  - id: dev\n    dashboardUrl: http://127.0.0.1:8266\n';

  it('reads grants per configured cluster and for discovered clusters, all and per namespace', () => {
    const file = yamlFile(
      CLUSTERS +
        'access:\n  clusters:\n    prod:\n      - { role: admin, groups: [platform-admins] }\n      - { role: operator, users: [f3a1-subject] }\n    dev:\n      - { role: viewer, groups: [team-a] }\n' +
        '  discovered:\n    all:\n      - { role: viewer, groups: [platform-admins] }\n    namespaces:\n      team-a:\n        - { role: operator, groups: [team-a] }\n',
    );
    const config = loadConfig({ SESSION_SECRET: SECRET, RAY_CONSOLE_CONFIG: file, ...OIDC });
    expect(config.access).toEqual({
      clusters: {
        prod: [
          { role: 'admin', users: [], groups: ['platform-admins'] },
          { role: 'operator', users: ['f3a1-subject'], groups: [] },
        ],
        dev: [{ role: 'viewer', users: [], groups: ['team-a'] }],
      },
      discovered: {
        all: [{ role: 'viewer', users: [], groups: ['platform-admins'] }],
        namespaces: { 'team-a': [{ role: 'operator', users: [], groups: ['team-a'] }] },
      },
    });
    expect(config.warnings).toEqual([]);
  });

  it('has no access policy without the section (everyone who signs in may use every cluster)', () => {
    expect(
      loadConfig({ SESSION_SECRET: SECRET, RAY_CONSOLE_CONFIG: yamlFile(CLUSTERS), ...OIDC }).access,
    ).toBeUndefined();
  });

  it('refuses to start with access but without OIDC, saying what to set', () => {
    const file = yamlFile(CLUSTERS + 'access:\n  clusters:\n    prod:\n      - { role: viewer, groups: [a] }\n');
    expect(configError(() => loadConfig({ SESSION_SECRET: SECRET, RAY_CONSOLE_CONFIG: file })).problems).toEqual([
      'access: roles are granted to people who sign in with OpenID Connect; set OIDC_ISSUER_URL and OIDC_CLIENT_ID (see docs/operations.md), or remove the access section.',
    ]);
  });

  it('says what to change for an unknown cluster, a discovered id, a bad role, a grant to nobody, and a bad namespace', () => {
    const file = yamlFile(
      CLUSTERS +
        'access:\n  clusters:\n    prd:\n      - { role: viewer, groups: [a] }\n    k8s~team-a~ray:\n      - { role: viewer, groups: [a] }\n    prod:\n      - { role: owner, groups: [a] }\n      - { role: viewer }\n      - { role: viewer, emails: [a@example.com] }\n' +
        '  discovered:\n    namespaces:\n      Team_A: []\n',
    );
    const { problems } = configError(() => loadConfig({ SESSION_SECRET: SECRET, RAY_CONSOLE_CONFIG: file, ...OIDC }));
    expect(problems.map((p) => p.replace(`${file}.`, ''))).toEqual(
      expect.arrayContaining([
        'access.clusters.prod.0.role: Use viewer, operator or admin.',
        'access.clusters.prod.1: Name at least one user (by subject) or group this role is granted to.',
        expect.stringMatching(/^access\.clusters\.prod\.2: .*emails/),
        expect.stringMatching(/^access\.discovered\.namespaces\.Team_A: .*Use a Kubernetes namespace name/),
      ]),
    );
    const ids = yamlFile(
      CLUSTERS +
        'access:\n  clusters:\n    prd:\n      - { role: viewer, groups: [a] }\n    k8s~team-a~ray:\n      - { role: viewer, groups: [a] }\n    prod:\n      - { role: viewer, groups: [a] }\n',
    );
    expect(
      configError(() => loadConfig({ SESSION_SECRET: SECRET, RAY_CONSOLE_CONFIG: ids, ...OIDC })).problems,
    ).toEqual([
      'access.clusters.prd: there is no configured cluster "prd"; use one of prod, dev.',
      'access.clusters.k8s~team-a~ray: discovered clusters take their roles from access.discovered (all, or namespaces.<namespace>); move these grants there.',
    ]);
  });

  it('warns at start about configured clusters nobody has a role on (nobody would see them)', () => {
    const file = yamlFile(CLUSTERS + 'access:\n  clusters:\n    prod:\n      - { role: viewer, groups: [a] }\n');
    expect(loadConfig({ SESSION_SECRET: SECRET, RAY_CONSOLE_CONFIG: file, ...OIDC }).warnings).toEqual([
      'access: nobody has a role on dev, so no signed-in person sees it; grant a role under access.clusters.<id> if that is not meant.',
    ]);
  });
});
