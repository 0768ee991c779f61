export interface StripeErrorBody {
  type: 'invalid_request_error' | 'api_error' | 'idempotency_error' | 'card_error' | (string & {});
  code?: string;
  param?: string;
  message: string;
  doc_url?: string;
}

export interface ApiErrorOptions {
  /**
   * Stripe saves an idempotent result only once the endpoint starts executing: parameter
   * validation failures are not saved (a retry with the same key runs again), business
   * refusals such as balance_insufficient are saved and replayed.
   */
  stored?: boolean;
  headers?: Record<string, string>;
}

export class ApiError extends Error {
  readonly stored: boolean;
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    options: ApiErrorOptions = {},
  ) {
    super(body.message);
    this.stored = options.stored ?? true;
    this.headers = options.headers ?? {};
  }

  toJSON(): { error: StripeErrorBody } {
    return { error: this.body };
  }
}

function withDocUrl(body: StripeErrorBody): StripeErrorBody {
  return body.code
    ? { ...body, doc_url: `https://stripe.com/docs/error-codes/${body.code.replaceAll('_', '-')}` }
    : body;
}

export function invalidRequest(
  message: string,
  options: { code?: string; param?: string; status?: number; stored?: boolean } = {},
): ApiError {
  const { code, param, status = 400, stored } = options;
  return new ApiError(
    status,
    withDocUrl({ type: 'invalid_request_error', ...(code ? { code } : {}), ...(param ? { param } : {}), message }),
    { stored },
  );
}

/** A malformed or missing parameter: rejected before the endpoint runs, so never saved for idempotency. */
export function paramError(message: string, param: string, code?: string): ApiError {
  return invalidRequest(message, { param, code, stored: false });
}

/** The object named in the URL does not exist. */
export function notFound(kind: string, id: string, param = 'id'): ApiError {
  return invalidRequest(`No such ${kind}: '${id}'`, { code: 'resource_missing', param, status: 404 });
}

/** A body parameter names an object that does not exist. */
export function missingReference(kind: string, id: string, param: string): ApiError {
  return invalidRequest(`No such ${kind}: '${id}'`, { code: 'resource_missing', param });
}

export function idempotencyError(status: number, message: string, code?: string): ApiError {
  return new ApiError(status, withDocUrl({ type: 'idempotency_error', ...(code ? { code } : {}), message }), {
    stored: false,
  });
}

export function apiError(status = 500, message = 'An unknown error occurred'): ApiError {
  return new ApiError(status, { type: 'api_error', message }, { stored: false });
}

export function rateLimitError(): ApiError {
  return invalidRequest(
    'Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.',
    { code: 'rate_limit', status: 429, stored: false },
  );
}
