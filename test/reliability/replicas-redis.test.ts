import { replicasSuite } from '../support/replicas-scenario.js';

/** The Redis on this machine (the tests' own database names the channel, so suites stay apart). */
const EVENT_BUS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

replicasSuite('Redis (an outbox and its relay)', { EVENT_BUS_URL });
