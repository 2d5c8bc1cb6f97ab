// Reads an iCalendar object on stdin with ical.js (an independent
// parser) and prints what the Go tests check, as JSON.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const ICAL = (await import(pathToFileURL(process.argv[2]).href)).default;
const cal = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
const vevent = cal.getFirstSubcomponent("vevent");
const ev = new ICAL.Event(vevent);
console.log(JSON.stringify({
  method: cal.getFirstPropertyValue("method"),
  version: cal.getFirstPropertyValue("version"),
  uid: ev.uid,
  sequence: ev.sequence,
  start: ev.startDate.toJSDate().toISOString(),
  end: ev.endDate.toJSDate().toISOString(),
  summary: ev.summary,
  location: ev.location,
  status: vevent.getFirstPropertyValue("status"),
  organizer: vevent.getFirstPropertyValue("organizer"),
  attendee: vevent.getFirstPropertyValue("attendee"),
}));
