/**
 * The one error type the domain speaks: a stable code, a message fit for the person, and whether trying again may help.
 * `params` are the facts behind the message, for an edge that words it differently.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly userMessage: string,
    readonly options: { retryable?: boolean; cause?: unknown; retryAfterMs?: number; stripeRequestId?: string; params?: Readonly<Record<string, unknown>> } = {},
  ) {
    super(`${code}: ${userMessage}`, { cause: options.cause });
    this.name = 'AppError';
  }

  get retryable(): boolean {
    return this.options.retryable ?? false;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
