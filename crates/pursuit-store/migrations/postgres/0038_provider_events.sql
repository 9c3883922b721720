-- Provider events (issue 25): a mailbox that sends through a service (SendGrid, Mailgun,
-- Postmark, Resend, Amazon SES) may name it, with what proves the service's webhook
-- requests (a public key, a signing key, a password, a topic ARN), sealed bound to the
-- mailbox. What the service reports becomes `email_events` rows through a job;
-- `events_last_at` says when the last request was taken.
ALTER TABLE mailboxes ADD COLUMN events_provider TEXT CHECK (events_provider IN ('sendgrid', 'mailgun', 'postmark', 'resend', 'ses'));
ALTER TABLE mailboxes ADD COLUMN events_key TEXT;
ALTER TABLE mailboxes ADD COLUMN events_last_at TIMESTAMPTZ;
