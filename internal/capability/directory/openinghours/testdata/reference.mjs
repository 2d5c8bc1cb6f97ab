// Evaluates opening_hours values with the reference implementation (the
// npm package opening_hours, pinned in e2e/package.json) for the Go
// cross-check. Usage: TZ=Europe/Paris node reference.mjs LIBRARY < request.json
// The request: {"region": {"country_code": "fr", "state": "…"},
// "cases": [{"hours": "Mo-Fr 08:00-12:00", "instants": [ms, …]}]}.
// The answer, one entry per case: {"error": "…"} when the library refuses
// the value, else {"open": [bool, …], "next": [ms or null, …]}: whether the
// place is open at each instant, and when that changes next within eight days.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const lib = process.argv[2];
const { default: OpeningHours } = await import(pathToFileURL(lib).href);
const request = JSON.parse(readFileSync(0, 'utf8'));
const place = { lat: 46.42, lon: 0.6, address: request.region };
const eightDays = 8 * 24 * 3600 * 1000;

const answers = request.cases.map(({ hours, instants }) => {
  let oh;
  try {
    oh = new OpeningHours(hours, place, { mode: 0, warnings_severity: 0 });
  } catch (e) {
    return { error: String(e) };
  }
  const open = [], next = [];
  for (const ms of instants) {
    const at = new Date(ms), limit = new Date(ms + eightDays);
    const state = oh.getState(at);
    open.push(state);
    // The library also reports changes between closed and unknown, or of
    // comment: go on to the first change between open and not open.
    let change = oh.getNextChange(at, limit);
    while (change !== undefined && oh.getState(change) === state) {
      change = oh.getNextChange(change, limit);
    }
    next.push(change === undefined ? null : change.getTime());
  }
  return { open, next };
});
process.stdout.write(JSON.stringify(answers));
