// Builds only what is out of date, so `npm start` on a built checkout goes straight to the
// service. Two targets, each with the inputs that can change its output and a stamp written
// after a successful build: the server (tsc -> dist/) and the browser bundles (esbuild ->
// dist/web). A target is stale when any input file or folder (a folder's mtime changes when a
// file in it is added or removed) is newer than its stamp. `--force` rebuilds both.
//
// Not `tsc -b`: even with nothing to do it loads the compiler and reads every source (about
// 2 s here), and esbuild has no up-to-date check of its own.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const force = process.argv.includes('--force');
const WEB_SOURCES = ['src/server/web/page', 'src/server/web/graphiql'];

const targets = [
  {
    name: 'server (tsc)',
    stamp: 'dist/.build-server',
    inputs: ['src', 'migrations', 'bench', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'],
    skip: [...WEB_SOURCES, 'bench/results'],
    command: [path.join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json']],
  },
  {
    name: 'web bundles (esbuild)',
    stamp: 'dist/web/.build-web',
    // The page bundles the SDK's sources; the package's own build (client/dist) is not an input.
    inputs: [...WEB_SOURCES, 'client/src', 'client/generated', 'scripts/build-web.mjs', 'package-lock.json'],
    skip: [],
    command: [process.execPath, ['scripts/build-web.mjs']],
  },
];

/** Newest mtime (ms) of a file or of a folder and everything under it, except `skip`. */
function newestMtime(relative, skip) {
  const full = path.join(root, relative);
  if (skip.includes(relative) || !existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(full)) newest = Math.max(newest, newestMtime(path.join(relative, entry), skip));
  return newest;
}

function isStale(target) {
  const stamp = path.join(root, target.stamp);
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return target.inputs.some((input) => newestMtime(input, target.skip) > built);
}

for (const target of targets) {
  if (!force && !isStale(target)) {
    console.log(`${target.name}: up to date`);
    continue;
  }
  const [command, args] = target.command;
  const startedAt = new Date();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  // Stamped with the start time: a source saved while the build ran is still newer than it.
  const stamp = path.join(root, target.stamp);
  writeFileSync(stamp, `${startedAt.toISOString()}\n`);
  utimesSync(stamp, startedAt, startedAt);
  console.log(`${target.name}: built`);
}
