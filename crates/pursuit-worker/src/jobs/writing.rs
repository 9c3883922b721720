//! `documents.write`: a cover letter or a rewrite that a configured model words, run by the
//! same use case a request would (`pursuit_app::writing::run`); the document kept becomes
//! the task's result. A refusal (the posting gone, instructions asking for invented facts,
//! no model keeping to the user's facts) is final at once; a store failure is retried.

use pursuit_app::AppError;
use pursuit_app::ai::Caller;
use pursuit_app::writing::{self, WriteDocument};
use pursuit_domain::ids::UserId;

use crate::registry::{JobContext, JobError};

pub async fn run(job: WriteDocument, ctx: JobContext) -> Result<(), JobError> {
    let user = UserId(job.user_id);
    let email = match writing::caller_email(&ctx.db, user).await {
        Ok(email) => email,
        // The account is gone: nothing to write for.
        Err(AppError::NotFound) => return Ok(()),
        Err(e) => return Err(JobError::new(e.to_string())),
    };
    ctx.progress(10, job.writing.doing()).await?;
    let caller = Caller {
        id: user,
        email: &email,
    };
    let services = ctx.settings.ai.services(&ctx.db);
    match writing::run(services, caller, &job.writing, ctx.now()).await {
        Ok(document) => {
            ctx.set_result(&writing::result(&document)).await?;
            Ok(())
        }
        Err(AppError::Store(e)) => Err(JobError::new(e.to_string())),
        Err(AppError::NotFound) => Err(JobError::for_good(
            "what it was to be written for is gone (deleted since it was asked for)",
        )),
        Err(refused) => Err(JobError::for_good(refused.to_string())),
    }
}
