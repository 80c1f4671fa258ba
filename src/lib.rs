//! blindlink
