//! The safety rail of every command that makes a new set current (`ingest`, `merge`,
//! `epoch rotate`): a set that is empty, or much smaller than the set served now, is not
//! made current without `--force`. A ZIP column blank in every row once gave a set of 0
//! fingerprints that replaced a served set of 5,647, with exit code 0. Checked before
//! anything is written, so a refusal changes nothing.

use blindlink_cli::Failure;

use crate::cli::ShrinkArgs;

/// Why a new set is not made current.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Shrink {
    /// The new set has no fingerprint at all.
    #[error(
        "the new set is empty (0 fingerprints; {current} served now): nothing changed, the \
         current set is still served; check the input (ingest.json of a previous run counts \
         rows without keys) or pass --force"
    )]
    Empty {
        /// Fingerprints of the set served now (0 if none).
        current: u64,
    },
    /// The new set is smaller than `--min-share` of the current one.
    #[error(
        "the new set has {new} fingerprints, {share:.1}% of the {current} served now (below \
         --min-share {min:.2}): nothing changed, the current set is still served; pass \
         --force to make it current anyway"
    )]
    TooSmall {
        /// Fingerprints of the new set.
        new: u64,
        /// Fingerprints of the set served now.
        current: u64,
        /// `new / current`, in percent.
        share: f64,
        /// The smallest share allowed.
        min: f64,
    },
}

/// Whether a set of `new` fingerprints may replace one of `current` (None: no set is
/// served yet).
pub fn check(new: u64, current: Option<u64>, args: &ShrinkArgs) -> Result<(), Shrink> {
    if args.force {
        return Ok(());
    }
    if new == 0 {
        return Err(Shrink::Empty {
            current: current.unwrap_or(0),
        });
    }
    match current {
        Some(current) if current > 0 && (new as f64) < args.min_share * current as f64 => {
            Err(Shrink::TooSmall {
                new,
                current,
                share: 100.0 * new as f64 / current as f64,
                min: args.min_share,
            })
        }
        _ => Ok(()),
    }
}

/// [`check`] as a command failure (bad input, exit code 2).
pub fn guard(new: u64, current: Option<u64>, args: &ShrinkArgs) -> Result<(), Failure> {
    check(new, current, args).map_err(Failure::input)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(force: bool, min_share: f64) -> ShrinkArgs {
        ShrinkArgs { force, min_share }
    }

    #[test]
    fn an_empty_or_much_smaller_set_needs_force() {
        let default = args(false, 0.5);
        assert_eq!(
            check(0, Some(5647), &default),
            Err(Shrink::Empty { current: 5647 })
        );
        assert_eq!(check(0, None, &default), Err(Shrink::Empty { current: 0 }));
        assert!(matches!(
            check(2000, Some(5647), &default),
            Err(Shrink::TooSmall { new: 2000, .. })
        ));
        assert_eq!(check(2824, Some(5647), &default), Ok(()));
        assert_eq!(check(10, None, &default), Ok(()));
        assert_eq!(check(9000, Some(5647), &default), Ok(()));
        assert_eq!(check(0, Some(5647), &args(true, 0.5)), Ok(()));
        assert_eq!(check(1, Some(5647), &args(false, 0.0)), Ok(()));
    }
}
