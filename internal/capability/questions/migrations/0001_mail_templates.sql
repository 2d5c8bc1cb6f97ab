-- The questions' mails moved from the "content" templates to their own
-- capability's: mails already in the outbox name their new template, so
-- that those not sent yet still render.
UPDATE outbox SET template = 'questions/question_verify' WHERE template = 'content/question_verify';
UPDATE outbox SET template = 'questions/question_answered' WHERE template = 'content/question_answered';
