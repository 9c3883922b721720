//! Reading JSON body fields into typed values, each failure named by a JSON pointer: the
//! shared vocabulary of create-and-patch handlers.

use jiff::civil::Date;

pub use pursuit_app::fields::Fields;

use crate::problem::ApiError;

/// A `YYYY-MM-DD` query parameter; a bad one is a 400 naming it.
pub fn query_date(value: Option<&str>, name: &str) -> Result<Option<Date>, ApiError> {
    value
        .map(|d| {
            d.parse::<Date>().map_err(|_| {
                ApiError::bad_request(format!("{name} must be a date such as 2026-11-23"))
            })
        })
        .transpose()
}
