/* One localStorage store for every widget: JSON values under a key, checked on read.
 * A value that does not parse or fails ``valid`` is removed and reported as reset. */

export function readStore(key, valid = () => true) {
  try {
    const raw = localStorage.getItem(key);
    if (!raw) return { value: null, reset: false };
    const value = JSON.parse(raw);
    if (!value || typeof value !== "object" || Array.isArray(value) || !valid(value)) throw new Error("bad shape");
    return { value, reset: false };
  } catch {
    removeStore(key);
    return { value: null, reset: true };
  }
}

export function writeStore(key, value) {
  try { localStorage.setItem(key, JSON.stringify(value)); } catch { /* private mode: keep in memory */ }
}

export function removeStore(key) {
  try { localStorage.removeItem(key); } catch { /* storage unavailable */ }
}

/** True if every value of ``obj`` at ``keys`` is absent or a plain object. */
export function plainObjects(obj, keys) {
  return keys.every((k) => obj[k] === undefined || (obj[k] && typeof obj[k] === "object" && !Array.isArray(obj[k])));
}
