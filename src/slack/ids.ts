/** Action, view and block ids: one place, so listeners and builders agree. */
export const ACTION_IDS = {
  onboardingStart: 'onboarding_start',
} as const;

export const VIEW_IDS = {
  invite: 'invite_modal',
} as const;

export const INVITE_FIELDS = {
  user: { block: 'invite_user', action: 'user' },
  email: { block: 'invite_email', action: 'email' },
  country: { block: 'invite_country', action: 'country' },
} as const;
