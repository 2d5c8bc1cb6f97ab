-- Files sent with a message (an appointment's .ics), as a JSON list.
ALTER TABLE outbox ADD COLUMN attachments TEXT NOT NULL DEFAULT '';
