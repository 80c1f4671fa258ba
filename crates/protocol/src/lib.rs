//! blindlink-protocol: what the requester (`ice`) and the data holder (`irs`) say to each other.

pub mod wire;
