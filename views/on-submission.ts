import type { App, Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { CommandDeps } from '../src/deps.js';
import { noticeModal } from '../src/slack/blocks/common.js';

class AlreadySubmitted extends Error {}

type SubmissionListener = Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>>;

/**
 * Registers a modal's submission listener so that one view makes at most one thing. The ack that accepts a
 * submission (anything but field errors) first claims the view's id; a re-delivery of a submission Slack saw
 * acknowledged late, or Submit pressed again on the same view, finds the claim taken: it is answered with a
 * notice and its listener stops at that ack. The id alone is the key (not the hash): an accepted view closes,
 * so any later submission of it, updated or not, is a repeat.
 */
export function onSubmission(
  app: App,
  deps: Pick<CommandDeps, 'deliveries' | 'logger'>,
  callbackId: string,
  listener: SubmissionListener,
): void {
  app.view<ViewSubmitAction>(callbackId, async (args) => {
    const ack: typeof args.ack = async (response) => {
      if (response?.response_action === 'errors' || (await deps.deliveries.firstTime('submission', args.view.id)))
        return args.ack(response);
      await args.ack({
        response_action: 'update',
        view: noticeModal(
          'Already received',
          ':white_check_mark: This was already received, so nothing more was made. Its answer comes as a message where you started.',
        ),
      });
      throw new AlreadySubmitted();
    };
    try {
      await listener({ ...args, ack });
    } catch (error) {
      if (!(error instanceof AlreadySubmitted)) throw error;
      deps.logger.warn(
        { event: 'view.repeated_submission', callbackId, viewId: args.view.id, userId: args.body.user.id },
        'ignored a repeated submission',
      );
    }
  });
}
