import { seedDemo } from './seed-demo.js';

/**
 * `node tools/dist/demo/load-demo.js [apiBaseUrl]`: loads the demo into an API that is already
 * running (default http://127.0.0.1:$API_PORT, port 3000), e.g. one started by hand or in compose.
 * The API must allow the dev sign-in (AUTH_DEV_LOGIN=1).
 */
async function main(): Promise<void> {
  const apiBaseUrl = process.argv[2] ?? process.env.API_URL ?? `http://127.0.0.1:${process.env.API_PORT ?? 3000}`;
  await seedDemo(apiBaseUrl, { now: new Date(), log: (line) => process.stdout.write(`[demo] ${line}\n`) });
}

main().catch((error: unknown) => {
  process.stderr.write(`loading the demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
