import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { printServiceSchema } from '../../src/server/graphql/app-schema.js';

describe('schema.graphql', () => {
  it('is what the code emits (run `npm run schema` and commit it when this fails)', async () => {
    const committed = await readFile('schema.graphql', 'utf8');
    expect(committed).toBe(await printServiceSchema());
  });
});
