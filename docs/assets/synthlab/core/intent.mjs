/* Start on intent: a live widget calls ``fn`` once, on the reader's first interaction with
 * it, or earlier when it is on screen and the browser is idle — unless the reader asked to
 * save data (navigator.connection.saveData), then only on interaction. Nothing here computes:
 * ``fn`` usually warms the runtime, and the build-time result stays until the reader acts. */

const EVENTS = ["pointerdown", "touchstart", "focusin", "keydown", "input"];
const idle = window.requestIdleCallback
  ? (fn) => window.requestIdleCallback(fn, { timeout: 4000 })
  : (fn) => setTimeout(fn, 1500);
const cancelIdle = window.cancelIdleCallback || clearTimeout;

export function saveData() {
  return !!(navigator.connection && navigator.connection.saveData);
}

export function onIntent(el, fn) {
  let fired = false, observer = null, handle = null;
  const cleanup = () => {
    EVENTS.forEach((e) => el.removeEventListener(e, interact, true));
    if (observer) observer.disconnect();
    if (handle !== null) cancelIdle(handle);
    handle = null;
  };
  const fire = (why) => {
    if (fired) return;
    fired = true;
    cleanup();
    fn(why);
  };
  function interact() { fire("interaction"); }
  EVENTS.forEach((e) => el.addEventListener(e, interact, { capture: true, passive: true }));
  if (!saveData() && "IntersectionObserver" in window) {
    observer = new IntersectionObserver((entries) => {
      if (!document.contains(el)) { cleanup(); return; }   // the page was left
      if (entries.some((e) => e.isIntersecting)) {
        if (handle === null) handle = idle(() => { handle = null; if (document.contains(el)) fire("idle"); });
      } else if (handle !== null) {
        cancelIdle(handle);
        handle = null;
      }
    });
    observer.observe(el);
  }
  return cleanup;
}
