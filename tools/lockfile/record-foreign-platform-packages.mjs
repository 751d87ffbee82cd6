#!/usr/bin/env node
// The npm registry these machines reach serves only Linux builds of platform-specific packages
// (@swc/core-darwin-arm64 and the like answer 404), so `npm install` leaves them out of
// package-lock.json, and `npm ci` then refuses the lock file as "not in sync". This records each
// missing optional platform package with its version and the os/cpu its name declares, exactly
// as npm writes one it could fetch: `npm ci` sees the lock in sync and skips them on this platform.
// Run it after `npm install` changes the lock file: `node tools/lockfile/record-foreign-platform-packages.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK = new URL('../../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
const packages = lock.packages;

const OS = ['darwin', 'win32', 'linux', 'freebsd', 'android', 'openharmony', 'sunos', 'netbsd', 'openbsd', 'aix', 'wasm32'];
const CPU = { arm64: 'arm64', x64: 'x64', ia32: 'ia32', arm: 'arm', ppc64: 'ppc64', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64', mips64el: 'mips64el', universal: null };

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpuPart = parts.find((p) => p in CPU);
  if (!os) return null;
  const platform = { os: [os === 'wasm32' ? 'linux' : os] };
  if (cpuPart && CPU[cpuPart]) platform.cpu = [CPU[cpuPart]];
  if (parts.includes('musl') || parts.includes('musleabihf')) platform.libc = ['musl'];
  else if (os === 'linux' && (parts.includes('gnu') || parts.includes('gnueabihf'))) platform.libc = ['glibc'];
  return platform;
}

function resolvedPath(parentPath, dep) {
  for (let base = parentPath; ; ) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${dep}`;
    if (packages[candidate]) return candidate;
    if (!base) return null;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [dep, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    if (resolvedPath(path, dep)) continue;
    const platform = platformOf(dep);
    if (!platform || !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec)) continue;
    packages[`node_modules/${dep}`] = { version: spec, ...platform, optional: true };
    added += 1;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`recorded ${added} optional platform package(s) this registry does not serve`);
