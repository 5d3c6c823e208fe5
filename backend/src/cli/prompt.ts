import { createInterface } from 'node:readline';

/** Reads a secret from the terminal without echoing it. */
export function readSecret(question: string): Promise<string> {
  if (!process.stdin.isTTY) {
    return Promise.reject(new Error('no terminal to ask for the password: set DXOC_PASSWORD'));
  }
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const output = rl as unknown as { _writeToOutput: (text: string) => void };
    const write = output._writeToOutput.bind(rl);
    let asked = false;
    output._writeToOutput = (text: string) => {
      if (!asked) {
        asked = true;
        write(text);
      }
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}
