import { startRedisSentinelSet } from '../../emulators/redis-topology.js';
import { describeFailover } from './scenarios.js';

describeFailover('on Redis Sentinel (a master, a replica, 3 Sentinels)', startRedisSentinelSet, 'SENTINEL FAILOVER');
