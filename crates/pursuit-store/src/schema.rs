//! Reads the live schema back (tables, columns, nullability) in one backend-neutral shape,
//! so a test can prove that the SQLite and PostgreSQL migrations describe the same model.

use crate::db::{Backend, Db};
use crate::error::StoreError;
use crate::query;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Column {
    pub table: String,
    pub name: String,
    pub nullable: bool,
}

/// Every column of every table in the application schema, sorted by table then column.
pub async fn describe(db: &Db) -> Result<Vec<Column>, StoreError> {
    let sql = match db.backend() {
        Backend::Sqlite => query(
            "SELECT m.name AS table_name, p.name AS column_name, p.\"notnull\" AS not_null \
             FROM sqlite_schema AS m JOIN pragma_table_info(m.name) AS p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
        ),
        Backend::Postgres => query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name, \
                    CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END::bigint AS not_null \
             FROM information_schema.columns WHERE table_schema = current_schema()",
        ),
    };
    let mut columns = db
        .fetch_all(sql)
        .await?
        .iter()
        .map(|row| {
            Ok(Column {
                table: row.get("table_name")?,
                name: row.get("column_name")?,
                nullable: row.get::<i64>("not_null")? == 0,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    columns.sort();
    Ok(columns)
}
