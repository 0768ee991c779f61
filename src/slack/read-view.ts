import { z } from 'zod';

/** One input element's state in a view submission, by the kinds of element our modals use. */
const state = <T extends z.ZodRawShape>(shape: T) => z.object(shape).nullish();

/** What a modal's input fields hold, read leniently: an empty or absent field is '' (or undefined, or []). */
export const field = {
  /** A text input, trimmed. */
  text: state({ value: z.string().nullish() }).transform((s) => s?.value?.trim() ?? ''),
  /** A text input as typed (pasted lines keep their line numbers). */
  rawText: state({ value: z.string().nullish() }).transform((s) => s?.value ?? ''),
  /** A static select's choice or, where the field is a text input instead, what was typed (trimmed). */
  choiceOrText: state({
    selected_option: z.object({ value: z.string() }).nullish(),
    value: z.string().nullish(),
  }).transform((s) => (s?.selected_option?.value ?? s?.value ?? '').trim()),
  /** A static or external select's chosen value. */
  option: state({ selected_option: z.object({ value: z.string() }).nullish() }).transform(
    (s) => s?.selected_option?.value,
  ),
  /** A timepicker's chosen time, HH:MM. */
  time: state({ selected_time: z.string().nullish() }).transform((s) => s?.selected_time ?? ''),
  /** A users_select's chosen user. */
  user: state({ selected_user: z.string().nullish() }).transform((s) => s?.selected_user ?? ''),
  /** A file_input's files: where each can be downloaded, and its size. */
  files: state({
    files: z
      .array(
        z.object({
          url_private_download: z.string().optional(),
          url_private: z.string().optional(),
          size: z.number().optional(),
        }),
      )
      .nullish(),
  }).transform((s) =>
    (s?.files ?? []).map((f) => ({
      url: f.url_private_download ?? f.url_private,
      ...(f.size !== undefined ? { size: f.size } : {}),
    })),
  ),
};

/** private_metadata as the modal's builder wrote it (JSON); what is not JSON reads as nothing. */
const metadata = z
  .string()
  .optional()
  .transform((text): unknown => {
    try {
      return JSON.parse(text || '{}');
    } catch {
      return {};
    }
  });

interface SubmittedView {
  state: { values: Record<string, Record<string, unknown>> };
  private_metadata?: string;
}

/**
 * A modal's values and metadata, validated: `schema` sees each input block's element state under its block id
 * (one element per input block), and `meta`, what the modal carried in private_metadata.
 */
export function readView<S extends z.ZodType>(view: SubmittedView, schema: S): z.output<S> {
  const fields = Object.fromEntries(
    Object.entries(view.state.values).map(([block, elements]) => [block, Object.values(elements)[0]]),
  );
  return schema.parse({ ...fields, meta: metadata.parse(view.private_metadata) });
}

/** The metadata of every modal whose answer goes where it was opened (a channel, or '' for the person's DM). */
export const channelMeta = z.object({
  channelId: z
    .string()
    .optional()
    .transform((id) => id || undefined),
});
