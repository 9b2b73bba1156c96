import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { printServiceSchema } from './app-schema.js';

/** `npm run schema`: writes schema.graphql at the repository root (run from there). */
await writeFile('schema.graphql', await printServiceSchema());
console.log('schema.graphql written');
