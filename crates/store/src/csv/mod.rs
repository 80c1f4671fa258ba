//! CSV files.

pub mod request;
