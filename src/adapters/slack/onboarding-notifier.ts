import type { OnboardingNotifier } from '../../domain/ports.js';
import {
  onboardingInviteDm,
  sellerBankChangedNotice,
  sellerDisconnectedNotice,
  sellerInvitedNotice,
  sellerNeedsMoreDm,
  sellerPayableDm,
  sellerPayableNotice,
  sellerPayoutFailedDm,
  sellerPayoutFailedNotice,
  sellerRestrictedNotice,
  sellerStillDueNotice,
} from '../../slack/blocks/sellers.js';
import type { Messenger } from './messenger.js';

/** Onboarding news: the seller by DM, ops in the ops channel. */
export function createOnboardingNotifier(messenger: Messenger, opsChannel: string): OnboardingNotifier {
  return {
    async sellerInvited(event) {
      await messenger.dm(event.seller.userId, onboardingInviteDm(event));
      await messenger.post(opsChannel, sellerInvitedNotice(event));
    },
    async sellerBecamePayable(seller) {
      await messenger.dm(seller.userId, sellerPayableDm());
      await messenger.post(opsChannel, sellerPayableNotice(seller));
    },
    async sellerBecameRestricted(seller, continueUrl) {
      await messenger.dm(seller.userId, sellerNeedsMoreDm(seller, continueUrl, true));
      await messenger.post(opsChannel, sellerRestrictedNotice(seller));
    },
    async sellerPayoutFailed(seller, payout, dashboardUrl) {
      await messenger.post(opsChannel, sellerPayoutFailedNotice(seller, payout));
      await messenger.dm(seller.userId, sellerPayoutFailedDm(seller, payout, dashboardUrl));
    },
    async sellerBankChanged(seller, change, holdUntil) {
      await messenger.post(opsChannel, sellerBankChangedNotice(seller, change, holdUntil));
    },
    async sellerDisconnected(seller, planPaused) {
      await messenger.post(opsChannel, sellerDisconnectedNotice(seller, planPaused));
    },
    async sellerStillDue(seller, continueUrl) {
      await messenger.dm(seller.userId, sellerNeedsMoreDm(seller, continueUrl, false));
      await messenger.post(opsChannel, sellerStillDueNotice(seller));
    },
  };
}
