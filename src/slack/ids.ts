/** Action, view and block ids: one place, so listeners and builders agree. */
export const ACTION_IDS = {
  onboardingStart: 'onboarding_start',
  approve: 'request_approve',
  reject: 'request_reject',
  sellerPicker: 'seller_picker',
  schedulePause: 'schedule_pause',
  scheduleResume: 'schedule_resume',
  scheduleDelete: 'schedule_delete',
  runStart: 'run_start',
  runRetry: 'run_retry',
  runFailedCsv: 'run_failed_csv',
  waitingApprove: 'waiting_approve',
  waitingReject: 'waiting_reject',
  fundingRequestTopup: 'funding_request_topup',
  limitOverride: 'limit_override',
  homeFreeze: 'home_freeze',
} as const;

/** Global shortcuts' callback ids, as manifest.yml declares them. */
export const SHORTCUT_IDS = { transfer: 'payout_request_transfer', topup: 'payout_request_topup' } as const;

export const VIEW_IDS = {
  invite: 'invite_modal',
  transfer: 'transfer_modal',
  topup: 'topup_modal',
  reject: 'reject_modal',
  runCsv: 'run_csv_modal',
  schedule: 'schedule_modal',
  freeze: 'freeze_modal',
} as const;

export const FREEZE_FIELDS = {
  reason: { block: 'freeze_reason', action: 'reason' },
} as const;

export const SCHEDULE_FIELDS = {
  action: { block: 'schedule_action', action: 'action' },
  /** The text grammar; modals opened before the structured fields still send it. */
  when: { block: 'schedule_when', action: 'when' },
  frequency: { block: 'schedule_frequency', action: 'frequency' },
  weekday: { block: 'schedule_weekday', action: 'weekday' },
  time: { block: 'schedule_time', action: 'time' },
  zone: { block: 'schedule_zone', action: 'zone' },
} as const;

export const CSV_FIELDS = {
  file: { block: 'csv_file', action: 'file' },
  text: { block: 'csv_text', action: 'text' },
} as const;

export const MONEY_FIELDS = {
  seller: { block: 'money_seller', action: ACTION_IDS.sellerPicker },
  amount: { block: 'money_amount', action: 'amount' },
  currency: { block: 'money_currency', action: 'currency' },
  description: { block: 'money_description', action: 'description' },
  statementDescriptor: { block: 'money_statement_descriptor', action: 'statement_descriptor' },
} as const;

export const REJECT_FIELDS = {
  reason: { block: 'reject_reason', action: 'reason' },
} as const;

export const INVITE_FIELDS = {
  user: { block: 'invite_user', action: 'user' },
  email: { block: 'invite_email', action: 'email' },
  country: { block: 'invite_country', action: 'country' },
} as const;
