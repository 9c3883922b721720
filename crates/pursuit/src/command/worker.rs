//! `pursuit worker`: runs background jobs without serving HTTP, so a hosted deployment can
//! scale workers apart from web servers against one PostgreSQL.

use crate::app::{VERSION, install_crypto_provider, shutdown_signal, standard_schedule};
use crate::command::{GlobalArgs, Opened};

pub async fn run(global: &GlobalArgs) -> anyhow::Result<()> {
    install_crypto_provider();
    let Opened {
        config,
        data_dir,
        db,
    } = global.open().await?;
    pursuit_store::migrate::run(&db, VERSION)
        .await
        .map_err(|e| anyhow::anyhow!("cannot migrate the database: {e}"))?;
    let embedder = std::sync::Arc::new(config.embeddings.embedder()?);
    let worker = pursuit_worker::Worker::new(
        db.clone(),
        config.mailer(&data_dir)?,
        pursuit_worker::Registry::standard(),
        config.worker.worker_config(config.job_settings(
            config.base_url(config.bind),
            Some(config.files(&data_dir)?),
            embedder,
            config.ai_parts(&data_dir)?,
        )?),
    )
    .with_scheduler(standard_schedule());
    println!("Pursuit {VERSION} worker {} is running", worker.worker_id());
    worker.run(shutdown_signal()).await;
    db.close().await;
    Ok(())
}
