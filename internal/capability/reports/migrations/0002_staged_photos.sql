-- Thumbnails of the reports' photos: thumb_key names the thumbnail in the
-- files bucket, '' when the photo has none and is served whole in its
-- place; thumb_width and thumb_height are the size of what is served.
ALTER TABLE report_photos ADD COLUMN thumb_key TEXT NOT NULL DEFAULT '';
ALTER TABLE report_photos ADD COLUMN thumb_size BIGINT NOT NULL DEFAULT 0;
ALTER TABLE report_photos ADD COLUMN thumb_width INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_photos ADD COLUMN thumb_height INTEGER NOT NULL DEFAULT 0;
UPDATE report_photos SET thumb_width = width, thumb_height = height;

-- Photos a resident uploaded for a report not sent yet: the form keeps
-- the token, the table only its hash. Prepared (JPEG without metadata)
-- with their thumbnail; lat/lon is where the camera said it was, if it
-- said. Moved to report_photos when the report is sent; deleted with
-- their files when left unused (StagedFor).
CREATE TABLE report_staged_photos (
    hash TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    file_key TEXT NOT NULL,
    size BIGINT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    thumb_key TEXT NOT NULL,
    thumb_size BIGINT NOT NULL,
    thumb_width INTEGER NOT NULL,
    thumb_height INTEGER NOT NULL,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    created_at TIMESTAMPTZ NOT NULL
);
-- The collectivité's storage and backup, and the retention's sweep.
CREATE INDEX report_staged_photos_tenant ON report_staged_photos (tenant_id);
CREATE INDEX report_staged_photos_created ON report_staged_photos (created_at);
