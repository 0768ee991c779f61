import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';

/**
 * A Bolt app whose only listener acks `/payout`, in its own process as payout-ops' web role is, for the ack
 * benchmark's floor. Env: SIGNING_SECRET, BOT_TOKEN, SLACK_API_URL, TOKEN_VERIFICATION (`false` for lazy auth.test).
 * Prints `PORT <n>` once it listens.
 */
const app = new App({
  signingSecret: process.env.SIGNING_SECRET!,
  token: process.env.BOT_TOKEN!,
  tokenVerificationEnabled: process.env.TOKEN_VERIFICATION !== 'false',
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL! },
  logLevel: LogLevel.ERROR,
});
app.command('/payout', async ({ ack }) => ack());
const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
console.log(`PORT ${(server.address() as AddressInfo).port}`);
process.once('SIGTERM', () => void app.stop().then(() => process.exit(0)));
