import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';

/** A button click as Bolt hands it to a listener. */
export type ButtonClick = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & {
  client: AllMiddlewareArgs['client'];
};
