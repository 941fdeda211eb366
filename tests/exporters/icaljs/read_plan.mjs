// Reads an iCalendar file with Mozilla's ical.js (Thunderbird's parser) and prints what a
// client would see of each event as JSON, for krutt's tests to compare with the plan.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const text = readFileSync(process.argv[2], "utf8");
const calendar = new ICAL.Component(ICAL.parse(text));
const zones = calendar.getAllSubcomponents("vtimezone");
for (const zone of zones) ICAL.TimezoneService.register(zone);

const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    summary: event.summary,
    description: event.description,
    sequence: event.sequence,
    start: event.startDate.toUnixTime(),
    end: event.endDate.toUnixTime(),
    startZone: event.startDate.zone ? event.startDate.zone.tzid : null,
    endZone: event.endDate.zone ? event.endDate.zone.tzid : null,
    attendees: event.attendees.map((attendee) => ({
      address: attendee.getFirstValue(),
      cn: attendee.getParameter("cn") ?? null,
    })),
  };
});

process.stdout.write(
  JSON.stringify({
    method: calendar.getFirstPropertyValue("method"),
    timezones: zones.map((zone) => zone.getFirstPropertyValue("tzid")),
    events,
  }),
);
