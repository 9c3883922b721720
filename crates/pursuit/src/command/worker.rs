//! `pursuit worker`: runs background jobs without serving HTTP, so a hosted deployment can
//! scale workers apart from web servers against one PostgreSQL.

use crate::app::{
    VERSION, install_crypto_provider, open_database, shutdown_signal, standard_schedule,
};
use crate::command::{GlobalArgs, ServeOverrides};
use crate::telemetry;

pub async fn run(global: &GlobalArgs) -> anyhow::Result<()> {
    let config = global.load_config(ServeOverrides::default())?;
    telemetry::init(config.log_format, &config.log_level);
    install_crypto_provider();
    let data_dir = config.data_dir()?;
    std::fs::create_dir_all(&data_dir).map_err(|e| {
        anyhow::anyhow!(
            "cannot create the data directory {}: {e}",
            data_dir.display()
        )
    })?;
    let db = open_database(&config, &data_dir).await?;
    pursuit_store::migrate::run(&db, VERSION)
        .await
        .map_err(|e| anyhow::anyhow!("cannot migrate the database: {e}"))?;
    let worker = pursuit_worker::Worker::new(
        db.clone(),
        config.mailer(&data_dir)?,
        pursuit_worker::Registry::standard(),
        config.worker.worker_config(),
    )
    .with_scheduler(standard_schedule());
    println!("Pursuit {VERSION} worker {} is running", worker.worker_id());
    worker.run(shutdown_signal()).await;
    db.close().await;
    Ok(())
}
