import { startRedisCluster } from '../../emulators/redis-topology.js';
import { describeFailover } from './scenarios.js';

describeFailover('on a Redis Cluster (3 masters, 3 replicas)', startRedisCluster, 'CLUSTER FAILOVER on its replica');
