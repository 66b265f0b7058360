/** A one-line progress bar on stderr (redrawn on a terminal, a line per 10% otherwise). */
export function progressBar(label: string) {
  const tty = process.stderr.isTTY;
  let lastDecile = -1;
  return {
    update(done: number, total: number | undefined) {
      const fraction = total ? Math.min(1, done / total) : 0;
      if (tty) {
        const width = 30;
        const filled = Math.round(fraction * width);
        process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}${total ? `/${total}` : ''}`);
      } else {
        const decile = Math.floor(fraction * 10);
        if (decile !== lastDecile) {
          lastDecile = decile;
          process.stderr.write(`${label} ${decile * 10}% (${done}${total ? `/${total}` : ''})\n`);
        }
      }
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
  };
}
