-- Practical pages get an easy-to-read (FALC) version, as news has.
ALTER TABLE content_pages ADD COLUMN easy_read TEXT NOT NULL DEFAULT '';
