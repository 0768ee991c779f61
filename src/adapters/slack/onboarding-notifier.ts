import type { OnboardingNotifier } from '../../domain/ports.js';
import {
  onboardingInviteDm,
  sellerInvitedNotice,
  sellerNeedsMoreDm,
  sellerPayableDm,
  sellerPayableNotice,
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
    async sellerStillDue(seller, continueUrl) {
      await messenger.dm(seller.userId, sellerNeedsMoreDm(seller, continueUrl, false));
      await messenger.post(opsChannel, sellerStillDueNotice(seller));
    },
  };
}
