//! Linkage quality report (not implemented yet).
//!
//! This is where an evaluation of match results against the ground truth will live:
//! read a truth file ([`crate::read_truth`]) and the requester's results, then report
//! precision and recall overall, per match rule, and per [`crate::Corruption`], so that
//! normalization and rule changes can be measured. A `synth evaluate` subcommand will
//! wrap it.
