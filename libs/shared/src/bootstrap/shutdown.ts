// Graceful stop on SIGTERM/SIGINT: close the app (stop taking work, finish what is in hand,
// close connections), then exit 0. A second signal exits at once.
export function closeOnSignals(name: string, app: { close(): Promise<void> }): void {
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) process.exit(1);
      closing = true;
      console.log(`[${name}] ${signal}: shutting down`);
      app.close().then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(`[${name}] shutdown failed:`, err);
          process.exit(1);
        },
      );
    });
  }
}
