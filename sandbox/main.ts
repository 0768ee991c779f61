/**
 * `npm run sandbox`: the whole bot on this machine, with no Slack workspace and no Stripe account, in a browser.
 * Starts Redis (or uses REDIS_URL), the Stripe emulator, the Slack Web API stand-in, the real bot and the console,
 * all on 127.0.0.1, prints the console's address and runs until Ctrl-C (SIGINT) or SIGTERM.
 */
import { type Sandbox, startSandbox } from './stack.js';

const DEFAULT_PORT = 3000;

function consolePort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`SANDBOX_PORT must be a port number (0 picks a spare one); got "${raw}".`);
    process.exit(64);
  }
  return port;
}

async function main(): Promise<void> {
  const port = consolePort(process.env.SANDBOX_PORT);
  const redisUrl = process.env.REDIS_URL || undefined;
  console.log('Starting the payout-ops sandbox (Redis, Stripe emulator, Slack stand-in, the bot, the console)…');

  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox({
      port,
      ...(redisUrl ? { redisUrl } : {}),
      logLevel: process.env.LOG_LEVEL || 'info',
      env: process.env,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`\nThe sandbox could not start: ${message}`);
    if (/redis-server not found/.test(message))
      console.error(
        'Or point the sandbox at a Redis you already run: REDIS_URL=redis://127.0.0.1:6380 npm run sandbox',
      );
    process.exit(1);
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.log(`\n${signal} again: exiting now.`);
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: stopping the sandbox…`);
    sandbox
      .stop()
      .then(() => {
        console.log('Stopped.');
        process.exit(0);
      })
      .catch((error: unknown) => {
        console.error('Error while stopping:', error);
        process.exit(1);
      });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const line = '─'.repeat(64);
  console.log(`
${line}
  payout-ops sandbox is running. Open the console:

      ${sandbox.consoleUrl}

  Slack stand-in    ${sandbox.slack.apiUrl}
  Stripe emulator   ${sandbox.stripeUrl}   (request log: ${sandbox.stripeUrl}/_emulator/requests)
  The bot           ${sandbox.botUrl}   (/slack/events, /stripe/webhooks, /connect/*)
  Redis             ${sandbox.redisUrl}${sandbox.ownRedis ? '   (temporary, removed on exit)' : '   (REDIS_URL)'}

  Try: as "requester" in #ops type  /payout invite @seller1
  Ctrl-C stops everything.
${line}
`);
  if (!sandbox.ownRedis) {
    console.log(
      'Note: with REDIS_URL, records from an earlier run stay in Redis, but the Stripe emulator starts empty each time.\n',
    );
  }
}

await main();
