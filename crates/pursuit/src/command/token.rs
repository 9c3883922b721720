//! `pursuit token create --email E [--name N]`: an API token for the local operator's
//! scripts (and our acceptance checks). Creates the user if needed; the token is printed
//! alone on the last line of stdout.

use anyhow::Context;
use clap::{Args, Subcommand};
use jiff::Timestamp;
use pursuit_domain::account::{EmailAddress, TimeZoneName};
use pursuit_store::accounts::{self, NewUser};
use pursuit_store::audit::{self, NewAuditEntry};

use crate::app::VERSION;
use crate::command::{GlobalArgs, Opened};

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token (and the user, if there is none with that email).
    Create(CreateArgs),
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The user's email address.
    #[arg(long)]
    pub email: String,
    /// What the token is for.
    #[arg(long, default_value = "cli")]
    pub name: String,
}

pub async fn run(global: &GlobalArgs, command: TokenCommand) -> anyhow::Result<()> {
    let TokenCommand::Create(args) = command;
    let email =
        EmailAddress::parse(&args.email).map_err(|e| anyhow::anyhow!("invalid --email: {e}"))?;
    let name = args.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        anyhow::bail!("invalid --name: must be 1 to 100 characters");
    }
    let Opened { config, db, .. } = global.open().await?;
    let result = create(&db, &email, name, &config.default_timezone).await;
    db.close().await;
    let (created_user, secret) = result?;
    if created_user {
        println!("created user {email}");
    }
    println!("created API token {name:?} for {email}; send it as `Authorization: Bearer <token>`:");
    println!("{secret}");
    Ok(())
}

async fn create(
    db: &pursuit_store::Db,
    email: &EmailAddress,
    name: &str,
    default_timezone: &str,
) -> anyhow::Result<(bool, String)> {
    pursuit_store::migrate::run(db, VERSION)
        .await
        .context("cannot migrate the database")?;
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    let (user, created) = match accounts::find_user_by_email(&mut tx, email).await? {
        Some(user) => (user, false),
        None => {
            let time_zone =
                TimeZoneName::parse(default_timezone).unwrap_or_else(|_| TimeZoneName::utc());
            let new = NewUser {
                email: email.clone(),
                display_name: None,
                time_zone,
                is_owner: false,
            };
            (accounts::insert_user(&mut tx, &new, now).await?, true)
        }
    };
    let (token, secret) = accounts::create_api_token(&mut tx, user.id, name, None, now).await?;
    let entry = NewAuditEntry {
        user_id: Some(user.id),
        action: "token.created",
        entity_type: Some("api_token"),
        entity_id: Some(token.id.to_string()),
        detail: Some(serde_json::json!({ "via": "cli" })),
        ..NewAuditEntry::default()
    };
    audit::insert_audit(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok((created, secret))
}
