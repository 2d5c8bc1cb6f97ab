-- A published act, its ballot's names and published minutes never change
-- (deleting stays possible: a restore replaces a collectivité's rows).
CREATE FUNCTION council_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'council: % cannot be changed once published', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER council_acts_frozen BEFORE UPDATE ON council_acts
FOR EACH ROW WHEN (OLD.published_at IS NOT NULL) EXECUTE FUNCTION council_refuse_change();

CREATE FUNCTION council_refuse_vote_change() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM council_acts WHERE id = OLD.act_id AND published_at IS NOT NULL) THEN
        RAISE EXCEPTION 'council: a published act cannot be changed';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER council_votes_frozen BEFORE UPDATE ON council_votes
FOR EACH ROW EXECUTE FUNCTION council_refuse_vote_change();

CREATE TRIGGER council_minutes_frozen BEFORE UPDATE OF minutes_text, minutes_file_id, minutes_approved_in,
    minutes_approved_on, minutes_published_at ON council_sessions
FOR EACH ROW WHEN (OLD.minutes_published_at IS NOT NULL) EXECUTE FUNCTION council_refuse_change();
