import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findJdk, javaMajor } from './keycloak.mjs';

/** A JDK folder whose `bin/java -version` says `version` the way OpenJDK does (on stderr). */
function fakeJdk(root, name, version) {
  const home = path.join(root, name);
  mkdirSync(path.join(home, 'bin'), { recursive: true });
  const java = path.join(home, 'bin', 'java');
  writeFileSync(java, `#!/bin/sh\necho 'openjdk version "${version}" 2026-04-21' >&2\n`);
  chmodSync(java, 0o755);
  return home;
}

describe('findJdk (Keycloak needs Java 21 or newer)', () => {
  it('reads the major version as java -version prints it', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'jdk-test-'));
    expect(javaMajor(fakeJdk(root, 'a', '25.0.3'))).toBe(25);
    expect(javaMajor(fakeJdk(root, 'b', '1.8.0_402'))).toBe(8);
    expect(javaMajor(path.join(root, 'none'))).toBeUndefined();
  });

  it('takes JAVA_HOME when it is new enough, else the newest JDK >= 21 in the JVM folder', () => {
    const jvm = mkdtempSync(path.join(os.tmpdir(), 'jvm-'));
    fakeJdk(jvm, 'java-17-openjdk-amd64', '17.0.13');
    const newest = fakeJdk(jvm, 'temurin-25-jdk-amd64', '25.0.3');
    const home21 = fakeJdk(jvm, 'jdk-21', '21.0.5');
    expect(findJdk({ env: {}, jvmDir: jvm })).toEqual({ javaHome: newest, major: 25 });
    expect(findJdk({ env: { JAVA_HOME: home21 }, jvmDir: jvm })).toEqual({ javaHome: home21, major: 21 });
    const old = fakeJdk(mkdtempSync(path.join(os.tmpdir(), 'old-')), 'jdk17', '17.0.1');
    expect(findJdk({ env: { JAVA_HOME: old }, jvmDir: jvm })).toEqual({ javaHome: newest, major: 25 });
  });

  it('says what to install when there is only an older Java', () => {
    const jvm = mkdtempSync(path.join(os.tmpdir(), 'jvm-'));
    fakeJdk(jvm, 'java-17-openjdk-amd64', '17.0.13');
    expect(() => findJdk({ env: {}, jvmDir: jvm })).toThrow(
      /needs Java 21 or newer.*java-17-openjdk-amd64 \(Java 17\).*Install a JDK 21\+/s,
    );
  });
});
