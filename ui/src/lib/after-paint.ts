// Work the window's first frame does not need (hooking up the shell's events, asking for the
// login-item state, Apple's last answers) waits until that frame is painted: each IPC call made
// while the window mounts delays its first rows.

/** Runs `fn` in the task after the next frame; the returned function cancels it if not yet run. */
export function afterPaint(fn: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let cancelled = false;
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(() => {
      if (!cancelled) fn();
    });
  });
  return () => {
    cancelled = true;
    cancelAnimationFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
  };
}
