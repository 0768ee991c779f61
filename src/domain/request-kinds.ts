/** The kinds and states of a request, apart from its record so that error codes can name them too. */

/**
 * topup / transfer: move money once · plan: set a seller's standing amount · schedule: create a recurring top-up or payout run
 * · resume: turn a paused schedule back on · run: pay a list of sellers now (the plan, a CSV batch, or failed lines again)
 * · unfreeze: lift a freeze (always two approvers).
 * · override: let one payment a daily limit holds go today (always two approvers).
 * · funding: a standing permission for the bot to top up, up to `money` in any rolling 7 days.
 */
export type RequestKind =
  | 'topup'
  | 'transfer'
  | 'plan'
  | 'schedule'
  | 'resume'
  | 'run'
  | 'unfreeze'
  | 'funding'
  | 'override';

/**
 * pending → approved → executing → completed | failed, or pending → rejected | expired.
 * A completed top-up still settles later (its `settlement` follows Stripe's webhooks).
 */
export type RequestState = 'pending' | 'approved' | 'executing' | 'completed' | 'failed' | 'rejected' | 'expired';
