//! `pursuit openapi`: print the OpenAPI document, for client generators and reviews.

pub fn run() -> anyhow::Result<()> {
    let json = pursuit_web::openapi_document().to_pretty_json()?;
    println!("{json}");
    Ok(())
}
