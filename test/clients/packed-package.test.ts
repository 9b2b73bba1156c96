import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ADMIN_EMAIL, ADMIN_PASSWORD, serviceForSuite } from '../support/service.js';

const execFileAsync = promisify(execFile);
const ROOT = process.cwd();
const TSC = path.join(ROOT, 'node_modules/.bin/tsc');

/** What the examples import besides the SDK, at the versions this repository pins. */
const STOCK_CLIENTS = ['@apollo/client', 'rxjs', '@urql/core', 'graphql-request', 'graphql-ws', '@types/node'];

/** graphql-request's only dependency: the TypedDocumentNode type it accepts. */
const EXPECTED_ALONE = ['@graphql-typed-document-node/core', '@tenant-provisioning/client', 'graphql', 'graphql-request', 'graphql-ws'];

/**
 * The SDK as a consumer gets it: `npm pack -w client` (its prepack builds it), installed into an
 * empty project outside this repository, then client/examples (the README's snippets) type-checked
 * and run there against the real service.
 */
describe('the SDK package, packed and installed into an empty project', () => {
  const suite = serviceForSuite();
  let project: string;

  beforeAll(async () => {
    project = await mkdtemp(path.join(tmpdir(), 'sdk-consumer-'));
    const { stdout } = await execFileAsync('npm', ['pack', '-w', 'client', '--pack-destination', project, '--json'], { cwd: ROOT });
    const [{ filename }] = JSON.parse(stdout) as Array<{ filename: string }>;
    await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'sdk-consumer', private: true, type: 'module' }));
    await npmInstall(project, [`./${filename}`]);
    await cp(path.join(ROOT, 'client/examples'), project, { recursive: true });
  }, 180_000);

  afterAll(() => rm(project, { recursive: true, force: true }));

  it('installs alone, bringing only graphql, graphql-request and graphql-ws, and type-checks the SDK example under strict and exactOptionalPropertyTypes', async () => {
    expect(await installedPackages(project)).toEqual(EXPECTED_ALONE);
    await expect(execFileAsync(TSC, ['-p', path.join(project, 'tsconfig.json')])).resolves.toBeDefined();
  });

  it('runs the README examples against the service: the SDK provisions a workspace, Apollo Client, urql and graphql-request follow another one live', async () => {
    const pinned = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const versions = { ...pinned.dependencies, ...pinned.devDependencies };
    await npmInstall(project, STOCK_CLIENTS.map((name) => `${name}@${versions[name]}`));
    await execFileAsync(TSC, ['-p', path.join(project, 'tsconfig.all.json')]);

    const { stdout } = await execFileAsync(process.execPath, [path.join(project, 'dist/run-examples.js'), suite.service.graphqlUrl, ADMIN_EMAIL, ADMIN_PASSWORD]);
    const seen = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      sdk: string[];
      runs: Record<string, string[]>;
      workspaces: Record<string, string[]>;
    };

    expectWholeRun(seen.sdk);
    expect(seen.runs.urql).toEqual(seen.runs.apollo);
    expect(seen.runs.graphqlRequest).toEqual(seen.runs.apollo);
    expectWholeRun(seen.runs.apollo!);
    for (const names of Object.values(seen.workspaces)) expect(names.sort()).toEqual(['Duka la Jirani', 'Mama Mboga Grocers']);
  });
});

/** Events "seq TYPE" numbered 1..N without a gap, ending with a completed run. */
function expectWholeRun(events: string[]) {
  expect(events.map((event) => Number(event.split(' ')[0]))).toEqual(events.map((_, index) => index + 1));
  expect(events.at(-1)).toMatch(/ RUN_COMPLETED$/);
}

async function npmInstall(project: string, specs: string[]) {
  await execFileAsync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...specs], { cwd: project });
}

/** Top-level packages in node_modules, scoped ones as @scope/name. */
async function installedPackages(project: string): Promise<string[]> {
  const modules = path.join(project, 'node_modules');
  const names: string[] = [];
  for (const entry of await readdir(modules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) names.push(...(await readdir(path.join(modules, entry))).map((name) => `${entry}/${name}`));
    else names.push(entry);
  }
  return names.sort();
}
