-- The agenda walks dates in start order from a lower bound on starts_at and
-- stops at the page's end. The indexes on ends_at first made it read every
-- future date and sort them. ends_at comes last so that the check of dates
-- still under way (or already over, for the archive) reads the index alone.
CREATE INDEX content_event_dates_upcoming ON content_event_dates (tenant_id, public, starts_at, event_id, ends_at);
CREATE INDEX content_event_dates_upcoming_cat ON content_event_dates (tenant_id, public, category, starts_at, event_id, ends_at);
DROP INDEX content_event_dates_next;
DROP INDEX content_event_dates_cat;

-- The iCalendar feed walks events in start order the same way; recurring
-- events, which may start long before, have an index of their own.
CREATE INDEX content_events_starts ON content_events (tenant_id, starts_at, id);
CREATE INDEX content_events_category_starts ON content_events (tenant_id, category, starts_at, id);
CREATE INDEX content_events_recurring ON content_events (tenant_id, starts_at, id) WHERE recurrence <> '';
