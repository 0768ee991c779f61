/** The contract variables, set to valid values: the least the bot starts with. */
export const validEnv = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-3',
  SLACK_SIGNING_SECRET: 'signing-secret-123',
  SLACK_OPS_CHANNEL: 'COPS',
  SLACK_APPROVALS_CHANNEL: 'CAPPROVALS',
  PAYOUT_REQUESTERS: 'UREQ1,SGROUP1',
  PAYOUT_APPROVERS: 'UAPP1, UAPP2',
  STRIPE_SECRET_KEY: 'sk_test_123',
  STRIPE_WEBHOOK_SECRET: 'whsec_platform,whsec_connect',
  REDIS_URL: 'redis://127.0.0.1:6399',
  PUBLIC_URL: 'http://127.0.0.1:3000/',
};
