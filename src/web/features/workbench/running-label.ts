/** "Running… 3 s · stops after 30 s": how long a query has run, and when the server will stop it. */
export function runningLabel(elapsedMs: number, limitSeconds: number): string {
  const seconds = Math.max(0, Math.floor(elapsedMs / 1000));
  return `Running… ${seconds} s · stops after ${limitSeconds} s`;
}
