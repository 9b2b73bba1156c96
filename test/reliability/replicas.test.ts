import { replicasSuite } from '../support/replicas-scenario.js';

replicasSuite('PostgreSQL NOTIFY', {});
