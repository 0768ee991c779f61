import type { FundingNotifier } from '../../domain/ports.js';
import type { Logger } from '../../logger.js';
import { autoTopupNotice, autoTopupSettledNotice, shortfallNoticeMessage } from '../../slack/blocks/funding.js';
import { bestEffort, type Messenger } from './messenger.js';

export function createFundingNotifier(messenger: Messenger, opsChannel: string, logger: Logger): FundingNotifier {
  return {
    // A post that fails throws: the notice is not recorded as told, and the next check tries again.
    shortfallPosted: (notice) => messenger.post(opsChannel, shortfallNoticeMessage(notice)),
    async shortfallChanged(notice) {
      if (notice.message)
        await bestEffort(
          logger,
          'shortfall-changed',
          () => messenger.update(notice.message!.channel, notice.message!.ts, shortfallNoticeMessage(notice)),
          { notice: notice.key },
        );
    },
    autoTopupMade: (topup, permission, used) =>
      bestEffort(
        logger,
        'auto-topup-made',
        () => messenger.post(opsChannel, autoTopupNotice(topup, permission, used)),
        { topup: topup.key },
      ),
    autoTopupSettled: (topup) =>
      bestEffort(logger, 'auto-topup-settled', () => messenger.post(opsChannel, autoTopupSettledNotice(topup)), {
        topup: topup.key,
      }),
  };
}
