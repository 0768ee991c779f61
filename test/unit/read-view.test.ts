import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../src/domain/errors.js';
import { replyOnAppError } from '../../src/slack/app-errors.js';
import { channelMeta, field, readView } from '../../src/slack/read-view.js';

const Form = z.object({ amount: field.text, seller: field.option, files: field.files, meta: channelMeta });

describe('readView', () => {
  it('when a modal is submitted, then each field is read by its block and the metadata is validated', () => {
    const view = {
      state: {
        values: {
          amount: { amount: { type: 'plain_text_input', value: ' 12.50 ' } },
          seller: { seller_picker: { type: 'external_select', selected_option: { value: 'U2', text: {} } } },
          files: {
            file: { type: 'file_input', files: [{ url_private_download: 'https://d', url_private: 'https://p' }] },
          },
        },
      },
      private_metadata: JSON.stringify({ channelId: 'C1' }),
    };
    expect(readView(view, Form)).toEqual({
      amount: '12.50',
      seller: 'U2',
      files: [{ url: 'https://d' }],
      meta: { channelId: 'C1' },
    });
  });

  it('when fields are empty and the metadata is no JSON, then they read as nothing and the answer goes to the DM', () => {
    expect(readView({ state: { values: {} }, private_metadata: '{not json' }, Form)).toEqual({
      amount: '',
      seller: undefined,
      files: [],
      meta: { channelId: undefined },
    });
  });

  it('when the metadata has the wrong shape, then reading fails instead of passing it on', () => {
    expect(() =>
      readView({ state: { values: {} }, private_metadata: JSON.stringify({ channelId: 42 }) }, Form),
    ).toThrow(z.ZodError);
  });
});

describe('replyOnAppError', () => {
  it('when the work throws an AppError, then the person is told its words and the refusal is seen', async () => {
    const reply = vi.fn(async () => undefined);
    const refused = vi.fn();
    await replyOnAppError(reply, async () => Promise.reject(new AppError('not_staff', { to: 'unfreeze' })), {
      lead: 'No luck. ',
      refused,
    });
    expect(reply).toHaveBeenCalledWith(
      ':x: No luck. Only payout requesters and approvers may ask to unfreeze payouts.',
    );
    expect(refused).toHaveBeenCalledWith(expect.objectContaining({ code: 'not_staff' }));
  });

  it('when the work throws anything else, then it is thrown on and the person is not told', async () => {
    const reply = vi.fn(async () => undefined);
    await expect(replyOnAppError(reply, async () => Promise.reject(new Error('bug')))).rejects.toThrow('bug');
    expect(reply).not.toHaveBeenCalled();
  });
});
