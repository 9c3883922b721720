//! `pursuit token create [--email E [--create-user]] [--name N]`: an API token for the local
//! operator's scripts (and our acceptance checks). Without `--email` it is the owner
//! account's (the one the browser signs in to on a laptop install). An address no account
//! has is refused unless `--create-user` says to make a separate account for it — a typo
//! must not quietly make a second, empty account. The token is printed alone on the last
//! line of stdout.

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
    /// Create an API token for the owner account, or for the account with `--email`.
    Create(CreateArgs),
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The account's email address; default the owner account.
    #[arg(long)]
    pub email: Option<String>,
    /// Make a new account for `--email` when none has that address.
    #[arg(long, requires = "email")]
    pub create_user: bool,
    /// What the token is for.
    #[arg(long, default_value = "cli")]
    pub name: String,
}

pub async fn run(global: &GlobalArgs, command: TokenCommand) -> anyhow::Result<()> {
    let TokenCommand::Create(args) = command;
    let email = args
        .email
        .as_deref()
        .map(EmailAddress::parse)
        .transpose()
        .map_err(|e| anyhow::anyhow!("invalid --email: {e}"))?;
    let name = args.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        anyhow::bail!("invalid --name: must be 1 to 100 characters");
    }
    let Opened { config, db, .. } = global.open().await?;
    let result = create(
        &db,
        email.as_ref(),
        args.create_user,
        name,
        &config.default_timezone,
    )
    .await;
    db.close().await;
    let (email, created_user, secret) = result?;
    if created_user {
        println!("created user {email}");
    }
    println!("created API token {name:?} for {email}; send it as `Authorization: Bearer <token>`:");
    println!("{secret}");
    Ok(())
}

async fn create(
    db: &pursuit_store::Db,
    email: Option<&EmailAddress>,
    create_user: bool,
    name: &str,
    default_timezone: &str,
) -> anyhow::Result<(String, bool, String)> {
    pursuit_store::migrate::run(db, VERSION)
        .await
        .context("cannot migrate the database")?;
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    let owner = accounts::find_owner(&mut tx).await?;
    let found = match email {
        Some(email) => accounts::find_user_by_email(&mut tx, email).await?,
        None => owner.clone(),
    };
    let (user, created) = match found {
        Some(user) => (user, false),
        None => {
            let owner_email = owner
                .as_ref()
                .map_or(pursuit_domain::account::OWNER_PLACEHOLDER_EMAIL, |o| {
                    o.email.as_str()
                });
            if let Some(email) = email
                && !create_user
            {
                anyhow::bail!(
                    "no account has the address {email}; leave out --email for the owner \
                     account ({owner_email}), or add --create-user to make a separate account"
                );
            }
            let time_zone =
                TimeZoneName::parse(default_timezone).unwrap_or_else(|_| TimeZoneName::utc());
            let new = NewUser {
                email: match email {
                    Some(email) => email.clone(),
                    None => EmailAddress::parse(owner_email)
                        .map_err(|e| anyhow::anyhow!("the owner's address: {e}"))?,
                },
                display_name: None,
                time_zone,
                is_owner: email.is_none(),
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
    Ok((user.email, created, secret))
}
