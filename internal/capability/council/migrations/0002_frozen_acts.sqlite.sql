-- A published act, its ballot's names and published minutes never change
-- (deleting stays possible: a restore replaces a collectivité's rows).
CREATE TRIGGER council_acts_frozen BEFORE UPDATE ON council_acts
WHEN OLD.published_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'council: a published act cannot be changed'); END;

CREATE TRIGGER council_votes_frozen BEFORE UPDATE ON council_votes
WHEN EXISTS (SELECT 1 FROM council_acts WHERE id = OLD.act_id AND published_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'council: a published act cannot be changed'); END;

CREATE TRIGGER council_minutes_frozen BEFORE UPDATE OF minutes_text, minutes_file_id, minutes_approved_in,
    minutes_approved_on, minutes_published_at ON council_sessions
WHEN OLD.minutes_published_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'council: published minutes cannot be changed'); END;
