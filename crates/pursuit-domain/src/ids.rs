//! Typed ids, so a user id cannot be passed where a token id is expected.

use std::fmt;

use uuid::Uuid;

macro_rules! id_type {
    ($($(#[$meta:meta])* $name:ident),* $(,)?) => {$(
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new, time-ordered id (UUIDv7).
            pub fn new() -> $name {
                $name(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type! {
    /// A user account.
    UserId,
    /// An API token.
    ApiTokenId,
    /// An audit log entry.
    AuditId,
    /// A background job ("task" to users).
    JobId,
    /// A tracked job application.
    ApplicationId,
    /// An activity (interview, follow-up, …) of an application.
    ActivityId,
    /// A reminder.
    ReminderId,
    /// A CSV import (previewed, then committed).
    ImportId,
    /// An in-app notification.
    NotificationId,
    /// A company a user deals with.
    CompanyId,
    /// A job posting a user added.
    PostingId,
    /// A user's resume (one per user; it has versions).
    ResumeId,
    /// One version of a resume: an upload or pasted text and what was read from it.
    ResumeVersionId,
    /// A pain-point map: a posting's challenges paired with a resume's answers.
    PainPointMapId,
    /// One entry of the AI call log.
    AiCallId,
    /// A kept AI answer (the response cache).
    AiOutputId,
    /// A provider a user entered in the AI settings page.
    AiProviderId,
    /// A project on a user's profile.
    ProjectId,
    /// A document Pursuit wrote for a user (a tailored CV).
    DocumentId,
    /// An optimization report: a resume version against a posting.
    OptimizationId,
    /// A conversation with the assistant.
    ConversationId,
    /// One message of a conversation.
    MessageId,
    /// A contact (a decision maker) a user may write to.
    ContactId,
    /// An outreach sequence template.
    SequenceTemplateId,
    /// One step (email) of a sequence template.
    SequenceStepId,
    /// A pitch (seed 000's offer) for an application.
    OfferId,
    /// One of a user's own mailboxes outreach is sent from.
    MailboxId,
    /// An outreach campaign.
    CampaignId,
    /// A person a campaign writes to (once launched, a sequence instance).
    CampaignTargetId,
    /// One outreach email.
    OutreachId,
    /// Something that happened to an email after it left (a click, a reply, a bounce).
    EmailEventId,
    /// Something that came back to a user's mailbox: a reply, a bounce, a report.
    ReplyId,
    /// One beta survey response.
    FeedbackId,
    /// One warmup email between a user's own mailboxes.
    WarmupId,
    /// A saved job search (discovery).
    JobSearchId,
    /// One run of a saved search over its sources.
    DiscoveryRunId,
    /// A job discovery found, once however many boards list it.
    DiscoveredJobId,
}
