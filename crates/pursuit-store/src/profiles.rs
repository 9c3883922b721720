//! A user's profile (one row) and projects. Values arrive checked (`pursuit_app::profile`);
//! every function takes the owner.

use jiff::Timestamp;
use pursuit_domain::ids::{ProjectId, UserId};

use crate::db::Conn;
use crate::error::StoreError;
use crate::query;
use crate::sql::{Query, Row, StringList};

/// The profile; empty strings for what is not given.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProfileRow {
    pub full_name: String,
    pub headline: String,
    pub email: String,
    pub phone: String,
    pub location: String,
    pub linkedin_url: String,
    pub github_url: String,
    pub website_url: String,
    pub summary: String,
    pub skills: Vec<String>,
    /// None until saved once.
    pub updated_at: Option<Timestamp>,
}

pub async fn get_profile(mut conn: impl Conn, user_id: UserId) -> Result<ProfileRow, StoreError> {
    let row = conn
        .fetch_optional(
            query(
                "SELECT full_name, headline, email, phone, location, linkedin_url, github_url, \
                 website_url, summary, skills, updated_at FROM profiles WHERE user_id = $1",
            )
            .bind(user_id),
        )
        .await?;
    let Some(row) = row else {
        return Ok(ProfileRow::default());
    };
    Ok(ProfileRow {
        full_name: row.get("full_name")?,
        headline: row.get("headline")?,
        email: row.get("email")?,
        phone: row.get("phone")?,
        location: row.get("location")?,
        linkedin_url: row.get("linkedin_url")?,
        github_url: row.get("github_url")?,
        website_url: row.get("website_url")?,
        summary: row.get("summary")?,
        skills: row.get::<StringList>("skills")?.0,
        updated_at: Some(row.get("updated_at")?),
    })
}

pub async fn put_profile(
    mut conn: impl Conn,
    user_id: UserId,
    profile: &ProfileRow,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO profiles (user_id, full_name, headline, email, phone, location, linkedin_url, \
             github_url, website_url, summary, skills, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (user_id) DO UPDATE SET full_name = excluded.full_name, headline = excluded.headline, \
             email = excluded.email, phone = excluded.phone, location = excluded.location, \
             linkedin_url = excluded.linkedin_url, github_url = excluded.github_url, \
             website_url = excluded.website_url, summary = excluded.summary, skills = excluded.skills, \
             updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(profile.full_name.as_str())
        .bind(profile.headline.as_str())
        .bind(profile.email.as_str())
        .bind(profile.phone.as_str())
        .bind(profile.location.as_str())
        .bind(profile.linkedin_url.as_str())
        .bind(profile.github_url.as_str())
        .bind(profile.website_url.as_str())
        .bind(profile.summary.as_str())
        .bind(serde_json::json!(profile.skills))
        .bind(now),
    )
    .await?;
    Ok(())
}

/// A project.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectRow {
    pub id: ProjectId,
    pub title: String,
    pub description: String,
    pub role: String,
    pub technologies: Vec<String>,
    pub url: String,
    pub repo_url: String,
    /// `YYYY` or `YYYY-MM`.
    pub start_month: Option<String>,
    /// None: ongoing (or not said).
    pub end_month: Option<String>,
    pub highlights: Vec<String>,
    pub featured: bool,
    pub position: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const PROJECT_COLUMNS: &str = "id, title, description, role, technologies, url, repo_url, start_month, \
     end_month, highlights, featured, position, created_at, updated_at";

fn project_from_row(row: &Row) -> Result<ProjectRow, StoreError> {
    Ok(ProjectRow {
        id: ProjectId(row.get("id")?),
        title: row.get("title")?,
        description: row.get("description")?,
        role: row.get("role")?,
        technologies: row.get::<StringList>("technologies")?.0,
        url: row.get("url")?,
        repo_url: row.get("repo_url")?,
        start_month: row.get("start_month")?,
        end_month: row.get("end_month")?,
        highlights: row.get::<StringList>("highlights")?.0,
        featured: row.get("featured")?,
        position: row.get("position")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

/// The user's projects in their order.
pub async fn list_projects(
    mut conn: impl Conn,
    user_id: UserId,
) -> Result<Vec<ProjectRow>, StoreError> {
    let rows = conn
        .fetch_all(
            Query::dynamic(format!(
                "SELECT {PROJECT_COLUMNS} FROM projects WHERE user_id = $1 \
                 ORDER BY position, created_at, id"
            ))
            .bind(user_id),
        )
        .await?;
    rows.iter().map(project_from_row).collect()
}

pub async fn get_project(
    mut conn: impl Conn,
    user_id: UserId,
    id: ProjectId,
) -> Result<Option<ProjectRow>, StoreError> {
    let row = conn
        .fetch_optional(
            Query::dynamic(format!(
                "SELECT {PROJECT_COLUMNS} FROM projects WHERE user_id = $1 AND id = $2"
            ))
            .bind(user_id)
            .bind(id),
        )
        .await?;
    row.as_ref().map(project_from_row).transpose()
}

/// Writes a project: inserted when its id is new, else replaced (the owner's only).
pub async fn put_project(
    mut conn: impl Conn,
    user_id: UserId,
    project: &ProjectRow,
) -> Result<(), StoreError> {
    conn.execute(
        Query::dynamic(format!(
            "INSERT INTO projects (user_id, {PROJECT_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
             ON CONFLICT (id) DO UPDATE SET title = excluded.title, description = excluded.description, \
             role = excluded.role, technologies = excluded.technologies, url = excluded.url, \
             repo_url = excluded.repo_url, start_month = excluded.start_month, \
             end_month = excluded.end_month, highlights = excluded.highlights, \
             featured = excluded.featured, position = excluded.position, updated_at = excluded.updated_at \
             WHERE projects.user_id = excluded.user_id"
        ))
        .bind(user_id)
        .bind(project.id)
        .bind(project.title.as_str())
        .bind(project.description.as_str())
        .bind(project.role.as_str())
        .bind(serde_json::json!(project.technologies))
        .bind(project.url.as_str())
        .bind(project.repo_url.as_str())
        .bind(project.start_month.as_deref())
        .bind(project.end_month.as_deref())
        .bind(serde_json::json!(project.highlights))
        .bind(project.featured)
        .bind(project.position)
        .bind(project.created_at)
        .bind(project.updated_at),
    )
    .await?;
    Ok(())
}

/// Removes one of the user's projects; whether there was one.
pub async fn delete_project(
    mut conn: impl Conn,
    user_id: UserId,
    id: ProjectId,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query("DELETE FROM projects WHERE user_id = $1 AND id = $2")
                .bind(user_id)
                .bind(id),
        )
        .await?;
    Ok(done > 0)
}
