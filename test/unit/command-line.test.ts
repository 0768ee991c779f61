import { describe, expect, it } from 'vitest';
import { createAfterAck } from '../../commands/after-ack.js';
import { buildSubcommands, createCommandLine } from '../../commands/index.js';
import type { CommandDeps } from '../../src/deps.js';

describe('commands that open a modal', () => {
  it('when the line after the ack is full, then a command opening a modal still runs at once and one that does not waits', async () => {
    const subcommands = new Map(buildSubcommands({} as CommandDeps).map((c) => [c.name, c]));
    const afterAck = createAfterAck(1);
    let release!: () => void;
    const busy = afterAck(() => new Promise<void>((resolve) => (release = resolve)));
    const line = createCommandLine(subcommands, afterAck);
    const started: string[] = [];
    const texts = [
      'invite',
      'invite <@U1|ana>',
      'topup',
      'transfer',
      'schedule',
      'run csv',
      'run',
      'transfer <@U1|ana> 10 eur',
      'help',
    ];
    const done = texts.map((text) => line(text, async () => void started.push(text)));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(started).toEqual(['invite', 'topup', 'transfer', 'schedule', 'run csv']);
    release();
    await Promise.all([busy, ...done]);
    expect(started.slice(5)).toEqual(['invite <@U1|ana>', 'run', 'transfer <@U1|ana> 10 eur', 'help']);
  });
});
