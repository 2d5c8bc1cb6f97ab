-- Urban-planning applications: a procedure may take one kind of
-- application (its cerfa: "DP", "PCMI"…), and each of its filed cases
-- keeps the parcel, the registration number and the days the law
-- counts from (filing, missing pieces asked and received), as the
-- collectivité's calendar days.
ALTER TABLE procedures ADD COLUMN application TEXT NOT NULL DEFAULT '';

CREATE TABLE case_applications (
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    parcel TEXT NOT NULL,
    registration TEXT NOT NULL,
    filed_on TEXT NOT NULL,
    pieces_asked_on TEXT NOT NULL DEFAULT '',
    pieces_received_on TEXT NOT NULL DEFAULT '',
    reminded TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, case_id)
);
CREATE INDEX case_applications_filed ON case_applications (tenant_id, filed_on);
