//! CSV files.

pub mod request;
pub mod results;
