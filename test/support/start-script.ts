const ASSIGNMENT = /^([A-Z_][A-Z0-9_]*)=(\S*)$/;

/** `npm start`'s command in parts: the `NAME=value` words ahead of node (its environment), node, and node's arguments. */
export function parseStartScript(script: string): { env: Record<string, string>; node: string; args: string[] } {
  const words = script.trim().split(/\s+/);
  const env: Record<string, string> = {};
  for (let match = ASSIGNMENT.exec(words[0] ?? ''); match; match = ASSIGNMENT.exec(words[0] ?? '')) {
    env[match[1]!] = match[2]!;
    words.shift();
  }
  const [node = '', ...args] = words;
  return { env, node, args };
}
