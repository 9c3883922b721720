//! `company.research`: reads a company's own pages (through the SSRF-safe fetcher, one at a
//! time, with progress) and the postings the user saved from it, and keeps the facts the
//! local engine finds, each with its source. A page that cannot be read is recorded with
//! why, not retried: the research is kept with what could be read.

use pursuit_app::AppError;
use pursuit_app::companies::{self, ResearchCompany};
use pursuit_domain::ids::{CompanyId, UserId};

use crate::registry::{JobContext, JobError};

pub async fn run(job: ResearchCompany, ctx: JobContext) -> Result<(), JobError> {
    let user = UserId(job.user_id);
    let id = CompanyId(job.company_id);
    let company = match companies::get(&ctx.db, user, id).await {
        Ok(company) => company,
        // Deleted since: nothing to do.
        Err(AppError::NotFound) => return Ok(()),
        Err(e) => return Err(JobError::new(e.to_string())),
    };
    let pages = company
        .website
        .as_deref()
        .map(companies::pages)
        .unwrap_or_default();
    let mut sources = Vec::new();
    let mut failed = Vec::new();
    for (i, url) in pages.iter().enumerate() {
        let percent = 10 + (70 * i / pages.len().max(1)) as i64;
        ctx.progress(percent, &format!("reading {url}")).await?;
        match companies::fetch_source(url, &ctx.settings.fetch_limits).await {
            // The same page again (a redirect to the front page) is read once.
            Ok(source)
                if sources
                    .iter()
                    .any(|s: &pursuit_text::research::Source| s.id == source.id) => {}
            Ok(source) => sources.push(source),
            Err(why) => failed.push((url.clone(), why)),
        }
    }
    ctx.progress(85, "reading the postings").await?;
    sources.extend(
        companies::posting_sources(&ctx.db, user, id)
            .await
            .map_err(|e| JobError::new(e.to_string()))?,
    );
    match companies::keep_research(&ctx.db, user, id, &sources, &failed, ctx.now()).await {
        Ok(_) | Err(AppError::NotFound) => Ok(()),
        Err(e) => Err(JobError::new(e.to_string())),
    }
}
