/* The tab's one Runtime (kept on window.synthlab so a re-evaluated module finds the same worker). */
import { Runtime } from "./client.mjs";

const ns = (window.synthlab = window.synthlab || {});
export const runtime = ns.runtime || (ns.runtime = new Runtime());
