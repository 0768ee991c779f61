// Types for blockkit.js (plain browser JavaScript, no build step), so TypeScript tests can import it.
export interface RenderContext {
  userName?(id: string): string | undefined;
  channelName?(id: string): string | undefined;
  people?: { id: string; name: string }[];
  channels?: { id: string; name: string }[];
}
export function escapeHtml(text: unknown): string;
export function unescapeEntities(text: unknown): string;
export function emoji(html: string): string;
export function mrkdwn(text: unknown, ctx?: RenderContext): string;
export function textObject(obj: unknown, ctx?: RenderContext): string;
export function blockIdOf(block: { block_id?: unknown }, index: number): string;
export function renderBlocks(
  blocks: unknown[] | undefined,
  ctx?: RenderContext,
  opts?: { surface?: 'message' | 'modal'; errors?: Record<string, string> },
): string;
export function renderAttachments(attachments: unknown[] | undefined, ctx?: RenderContext): string;
export function renderMessageBody(
  message: { text?: string; blocks?: unknown[]; attachments?: unknown[] },
  ctx?: RenderContext,
): string;
