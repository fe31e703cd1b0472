/* The site's address and the build's settings (written into every page by overrides/main.html). */
export const SITE = new URL("../../../", import.meta.url);

export const CONFIG = (() => {
  const el = document.getElementById("synthlab-config");
  try { return el ? JSON.parse(el.textContent) : {}; } catch { return {}; }
})();

/** Pages opened from disk cannot run Python (browsers block workers on file://); main.html says so. */
export const IS_FILE = location.protocol === "file:";
