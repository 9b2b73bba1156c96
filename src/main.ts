import { enableCompileCache } from 'node:module';

// The service loads about a thousand modules: after the first start V8 compiles them from a cache
// on disk (the OS temp directory), which takes about a fifth off every later start.
enableCompileCache();
await import('./service-main.js');
