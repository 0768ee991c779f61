import type { ReconcileNotifier } from '../../domain/reconcile.js';
import { reconcileMessage } from '../../slack/blocks/reconcile.js';
import type { Messenger } from './messenger.js';

/** Automatic reconciliations speak only when something differs, in the ops channel. */
export function createReconcileNotifier(messenger: Messenger, opsChannel: string): ReconcileNotifier {
  return {
    async differencesFound(result) {
      const range = `${result.window.from.slice(0, 10)}..${new Date(Date.parse(result.window.to) - 86_400_000).toISOString().slice(0, 10)}`;
      await messenger.post(
        opsChannel,
        reconcileMessage(result, `\`/payout reconcile ${range}\` sends all of them to you as a CSV file.`),
      );
    },
  };
}
