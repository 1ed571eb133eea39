/** A child of the fault suite exits when the suite is gone, so a killed run leaves no API or worker behind. */
export function exitWithParent(): void {
  const parent = Number(process.env.CHAOS_PARENT_PID);
  if (!Number.isInteger(parent) || parent <= 0) return;
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.exit(1);
    }
  }, 1000).unref();
}
