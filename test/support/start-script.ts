/** `npm start`'s command in parts: the `NAME=value` words ahead of node (its environment), node, and node's arguments. */
export function parseStartScript(script: string): { env: Record<string, string>; node: string; args: string[] } {
  const words = script.trim().split(/\s+/);
  const env: Record<string, string> = {};
  for (let assignment = /^([A-Z_][A-Z0-9_]*)=(\S*)$/.exec(words[0] ?? ''); assignment; ) {
    env[assignment[1]!] = assignment[2]!;
    words.shift();
    assignment = /^([A-Z_][A-Z0-9_]*)=(\S*)$/.exec(words[0] ?? '');
  }
  const [node = '', ...args] = words;
  return { env, node, args };
}
