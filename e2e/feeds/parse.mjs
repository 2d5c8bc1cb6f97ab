// Reads an iCalendar or Atom document with independent parsers (ical.js,
// @rowanmanning/feed-parser) and prints what they understood as JSON, for
// the Go tests to compare with what was published.
// Usage: node parse.mjs ics|atom FILE
import ICAL from 'ical.js';
import { parseFeed } from '@rowanmanning/feed-parser';
import { readFileSync } from 'node:fs';

const [kind, file] = process.argv.slice(2);
const text = readFileSync(file, 'utf8');

if (kind === 'ics') {
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const tz of cal.getAllSubcomponents('vtimezone')) {
    ICAL.TimezoneService.register(tz);
  }
  const out = {
    name: cal.getFirstPropertyValue('name'),
    refresh: String(cal.getFirstPropertyValue('refresh-interval')),
    timezones: cal.getAllSubcomponents('vtimezone').map((tz) => tz.getFirstPropertyValue('tzid')),
    events: [],
  };
  for (const ve of cal.getAllSubcomponents('vevent')) {
    const ev = new ICAL.Event(ve);
    // A single event's instants come from DTSTART and DTEND themselves:
    // ical.js adds an occurrence's duration in wall-clock time, which is
    // an hour off for an event that spans a change of time.
    const dates = [[ev.startDate.toJSDate().toISOString(), ev.endDate.toJSDate().toISOString()]];
    if (ev.isRecurring()) {
      dates.length = 0;
      const it = ev.iterator();
      for (let next = it.next(), n = 0; next && n < 60; next = it.next(), n++) {
        const d = ev.getOccurrenceDetails(next);
        dates.push([d.startDate.toJSDate().toISOString(), d.endDate.toJSDate().toISOString()]);
      }
    }
    out.events.push({
      uid: ev.uid, summary: ev.summary, location: ev.location, description: ev.description,
      status: ve.getFirstPropertyValue('status'), categories: ve.getFirstPropertyValue('categories'),
      sequence: ev.sequence, allDay: ev.startDate.isDate, start: ev.startDate.toString(),
      end: ev.endDate.toString(), tzid: ev.startDate.isDate ? '' : ev.startDate.zone.tzid, dates,
    });
  }
  console.log(JSON.stringify(out));
} else {
  const feed = parseFeed(text);
  console.log(JSON.stringify({
    title: feed.title, url: feed.url, self: feed.self,
    entries: feed.items.map((i) => ({
      id: i.id, title: i.title, url: i.url, content: i.content, description: i.description,
      published: i.published, updated: i.updated, categories: i.categories.map((c) => c.term),
    })),
  }));
}
