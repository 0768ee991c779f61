/**
 * Block Kit's documented limits, checked the way Slack refuses a payload: the fake Slack answers `invalid_blocks`
 * (messages) or `invalid_arguments` (views) with these problems, and tests call the same functions on what the
 * bot builds. The numbers are Slack's own, written here apart from the bot's, so a wrong number in the bot is caught.
 * https://docs.slack.dev/reference/block-kit/blocks · …/block-elements · …/composition-objects · …/surfaces/modals
 */
export const SLACK_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  messageText: 40_000,
  textObject: 3_000,
  sectionText: 3_000,
  sectionFields: 10,
  fieldText: 2_000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  blockId: 255,
  actionId: 255,
  buttonText: 75,
  buttonValue: 2_000,
  url: 3_000,
  optionText: 75,
  optionValue: 150,
  staticOptions: 100,
  placeholder: 150,
  label: 2_000,
  hint: 2_000,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3_000,
  callbackId: 255,
} as const;

export type Surface = 'message' | 'modal' | 'home';

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Collects problems as `what [json-pointer:/path]`, the shape of Slack's own `errors` entries. */
class Checker {
  readonly problems: string[] = [];

  fail(path: string, what: string): void {
    this.problems.push(`${what} [json-pointer:${path}]`);
  }

  string(value: unknown, path: string, max: number, required = false): void {
    if (value === undefined && !required) return;
    if (typeof value !== 'string') {
      this.fail(path, 'must be a string');
      return;
    }
    if (value.length === 0 && required) {
      this.fail(path, 'must be more than 0 characters');
      return;
    }
    if (value.length > max) this.fail(path, `must be less than ${max + 1} characters`);
  }

  list(value: unknown, path: string, max: number, min = 1): unknown[] {
    if (!Array.isArray(value)) {
      this.fail(path, 'must be an array');
      return [];
    }
    if (value.length < min) this.fail(path, `must provide at least ${min} items`);
    if (value.length > max) this.fail(path, `must provide no more than ${max} items`);
    return value;
  }

  text(value: unknown, path: string, max: number, only?: 'plain_text'): void {
    if (!isNode(value)) {
      this.fail(path, 'must be a text object');
      return;
    }
    if (value.type !== 'plain_text' && value.type !== 'mrkdwn')
      this.fail(`${path}/type`, 'must be plain_text or mrkdwn');
    else if (only && value.type !== only) this.fail(`${path}/type`, `must be ${only}`);
    this.string(value.text, `${path}/text`, max, true);
  }

  option(value: unknown, path: string): void {
    if (!isNode(value)) {
      this.fail(path, 'must be an option object');
      return;
    }
    this.text(value.text, `${path}/text`, SLACK_LIMITS.optionText);
    this.string(value.value, `${path}/value`, SLACK_LIMITS.optionValue, true);
  }

  element(value: unknown, path: string): void {
    if (!isNode(value)) {
      this.fail(path, 'must be an element object');
      return;
    }
    this.string(value.action_id, `${path}/action_id`, SLACK_LIMITS.actionId);
    if (value.placeholder !== undefined)
      this.text(value.placeholder, `${path}/placeholder`, SLACK_LIMITS.placeholder, 'plain_text');
    switch (value.type) {
      case 'button':
        this.text(value.text, `${path}/text`, SLACK_LIMITS.buttonText, 'plain_text');
        this.string(value.value, `${path}/value`, SLACK_LIMITS.buttonValue);
        this.string(value.url, `${path}/url`, SLACK_LIMITS.url);
        break;
      case 'static_select':
      case 'multi_static_select':
      case 'overflow':
      case 'radio_buttons':
      case 'checkboxes':
        if (value.options !== undefined)
          for (const [i, o] of this.list(value.options, `${path}/options`, SLACK_LIMITS.staticOptions).entries())
            this.option(o, `${path}/options/${i}`);
        if (value.initial_option !== undefined) this.option(value.initial_option, `${path}/initial_option`);
        break;
      case 'plain_text_input':
        if (value.max_length !== undefined && (typeof value.max_length !== 'number' || value.max_length > 3_000))
          this.fail(`${path}/max_length`, 'must be at most 3000');
        break;
    }
  }

  block(value: unknown, path: string, blockIds: Set<string>): void {
    if (!isNode(value)) {
      this.fail(path, 'must be a block object');
      return;
    }
    if (value.block_id !== undefined) {
      this.string(value.block_id, `${path}/block_id`, SLACK_LIMITS.blockId, true);
      if (typeof value.block_id === 'string' && blockIds.has(value.block_id))
        this.fail(`${path}/block_id`, 'must be unique');
      if (typeof value.block_id === 'string') blockIds.add(value.block_id);
    }
    switch (value.type) {
      case 'section':
        if (value.text === undefined && value.fields === undefined) this.fail(path, 'must provide text or fields');
        if (value.text !== undefined) this.text(value.text, `${path}/text`, SLACK_LIMITS.sectionText);
        if (value.fields !== undefined)
          for (const [i, f] of this.list(value.fields, `${path}/fields`, SLACK_LIMITS.sectionFields).entries())
            this.text(f, `${path}/fields/${i}`, SLACK_LIMITS.fieldText);
        if (value.accessory !== undefined) this.element(value.accessory, `${path}/accessory`);
        break;
      case 'header':
        this.text(value.text, `${path}/text`, SLACK_LIMITS.headerText, 'plain_text');
        break;
      case 'context':
        this.list(value.elements, `${path}/elements`, SLACK_LIMITS.contextElements).forEach((e, i) => {
          if (isNode(e) && e.type !== 'image') this.text(e, `${path}/elements/${i}`, SLACK_LIMITS.textObject);
        });
        break;
      case 'actions':
        for (const [i, e] of this.list(value.elements, `${path}/elements`, SLACK_LIMITS.actionsElements).entries())
          this.element(e, `${path}/elements/${i}`);
        break;
      case 'input':
        this.text(value.label, `${path}/label`, SLACK_LIMITS.label, 'plain_text');
        if (value.hint !== undefined) this.text(value.hint, `${path}/hint`, SLACK_LIMITS.hint, 'plain_text');
        this.element(value.element, `${path}/element`);
        break;
      case 'divider':
      case 'image':
      case 'rich_text':
      case 'file':
      case 'video':
        break;
      default:
        this.fail(`${path}/type`, `unknown block type ${JSON.stringify(value.type)}`);
    }
  }

  blocks(value: unknown, path: string, surface: Surface): void {
    const max = surface === 'message' ? SLACK_LIMITS.messageBlocks : SLACK_LIMITS.viewBlocks;
    const blockIds = new Set<string>();
    for (const [i, b] of this.list(value, path, max, 0).entries()) this.block(b, `${path}/${i}`, blockIds);
  }
}

/** Problems with a message's blocks and text; empty when Slack would take it. */
export function messageProblems(message: { text?: unknown; blocks?: unknown }): string[] {
  const check = new Checker();
  if (message.blocks !== undefined) check.blocks(message.blocks, '/blocks', 'message');
  if (typeof message.text === 'string' && message.text.length > SLACK_LIMITS.messageText)
    check.fail('/text', `must be less than ${SLACK_LIMITS.messageText + 1} characters`);
  return check.problems;
}

/** Problems with a modal or Home tab view; empty when Slack would take it. */
export function viewProblems(view: Node): string[] {
  const check = new Checker();
  const surface: Surface = view.type === 'home' ? 'home' : 'modal';
  if (surface === 'modal') {
    check.text(view.title, '/view/title', SLACK_LIMITS.viewTitle, 'plain_text');
    if (view.submit !== undefined) check.text(view.submit, '/view/submit', SLACK_LIMITS.viewButton, 'plain_text');
    if (view.close !== undefined) check.text(view.close, '/view/close', SLACK_LIMITS.viewButton, 'plain_text');
  }
  check.string(view.private_metadata, '/view/private_metadata', SLACK_LIMITS.privateMetadata);
  check.string(view.callback_id, '/view/callback_id', SLACK_LIMITS.callbackId);
  check.blocks(view.blocks, '/view/blocks', surface);
  return check.problems;
}
