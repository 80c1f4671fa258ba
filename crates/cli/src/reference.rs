//! What every binary says about itself, the same way: `--version` (crate version, git
//! commit, wire protocol version, match-key rule set), and two subcommands added to each
//! binary's own: `completions <SHELL>` (a shell completion script, `clap_complete`) and
//! `man [--out-dir DIR]` (roff man pages, `clap_mangen`: the binary's page on stdout, or
//! one page per subcommand written to DIR).

use std::path::PathBuf;

use clap::{Arg, ArgMatches, Command};
use clap_complete::Shell;

use crate::failure::{Blame, Failure};

/// The git commit the binaries were built from (`unknown` without git).
pub const GIT_COMMIT: &str = env!("BLINDLINK_GIT_COMMIT");

/// The one-line version: `0.1.0 (commit 1a6821b…, protocol 2, match keys blindlink/v1)`.
pub fn version() -> String {
    let keys = String::from_utf8_lossy(blindlink_core::match_key::KEY_DOMAIN);
    format!(
        "{} (commit {GIT_COMMIT}, protocol {}, match keys {})",
        env!("CARGO_PKG_VERSION"),
        blindlink_protocol::wire::PROTOCOL_VERSION,
        keys.trim_end_matches('/'),
    )
}

/// `cmd` with the shared version and the `completions` and `man` subcommands.
pub fn extend(cmd: Command) -> Command {
    cmd.version(version())
        .subcommand(
            Command::new("completions")
                .about("Print a shell completion script (bash, zsh, fish, elvish, powershell)")
                .arg(
                    Arg::new("shell")
                        .value_name("SHELL")
                        .required(true)
                        .value_parser(clap::value_parser!(Shell)),
                ),
        )
        .subcommand(
            Command::new("man")
                .about("Print the man page, or write one page per subcommand to --out-dir")
                .arg(
                    Arg::new("out-dir")
                        .long("out-dir")
                        .value_name("DIR")
                        .value_parser(clap::value_parser!(PathBuf)),
                ),
        )
}

/// Runs `completions` or `man` if `matches` (parsed by [`extend`]`(base)`) asks for one;
/// returns `None` otherwise. `base` is the binary's own command.
pub fn run(base: Command, matches: &ArgMatches) -> Option<Result<(), Failure>> {
    match matches.subcommand() {
        Some(("completions", sub)) => {
            let shell = sub.get_one::<Shell>("shell").copied()?;
            Some(completions(extend(base), shell))
        }
        Some(("man", sub)) => Some(man(
            base.version(version()),
            sub.get_one::<PathBuf>("out-dir"),
        )),
        _ => None,
    }
}

fn completions(mut cmd: Command, shell: Shell) -> Result<(), Failure> {
    let name = cmd.get_name().to_owned();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, name, &mut script);
    crate::out!("{}", String::from_utf8_lossy(&script));
    Ok(())
}

/// The pages document the binary's own commands (`cmd` without `completions`, `man`).
fn man(cmd: Command, out_dir: Option<&PathBuf>) -> Result<(), Failure> {
    if let Some(dir) = out_dir {
        std::fs::create_dir_all(dir).input(format!("cannot create {}", dir.display()))?;
        clap_mangen::generate_to(cmd, dir).other(format!("cannot write to {}", dir.display()))?;
        crate::outln!("wrote man pages to {}", dir.display());
        return Ok(());
    }
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut page)
        .other("cannot render the man page")?;
    crate::out!("{}", String::from_utf8_lossy(&page));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Command {
        Command::new("demo").subcommand(Command::new("keygen").about("Make keys"))
    }

    fn demo() -> Command {
        extend(base())
    }

    #[test]
    fn the_version_names_commit_protocol_and_rules() {
        let text = version();
        assert!(text.starts_with(env!("CARGO_PKG_VERSION")), "{text}");
        assert!(text.contains(&format!("commit {GIT_COMMIT}")), "{text}");
        assert!(text.contains("protocol 2"), "{text}");
        assert!(text.contains("blindlink/v1"), "{text}");
    }

    #[test]
    fn completions_and_man_are_recognized_and_others_are_not() {
        let matches = demo()
            .try_get_matches_from(["demo", "completions", "bash"])
            .unwrap();
        assert!(matches!(run(base(), &matches), Some(Ok(()))));
        let matches = demo().try_get_matches_from(["demo", "keygen"]).unwrap();
        assert!(run(base(), &matches).is_none());
        assert!(
            demo()
                .try_get_matches_from(["demo", "completions", "tcsh"])
                .is_err()
        );
    }

    #[test]
    fn man_pages_are_written_per_subcommand() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("man");
        let matches = demo()
            .try_get_matches_from(["demo", "man", "--out-dir", out.to_str().unwrap()])
            .unwrap();
        assert!(matches!(run(base(), &matches), Some(Ok(()))));
        let page = std::fs::read_to_string(out.join("demo-keygen.1")).unwrap();
        assert!(page.contains(".TH"), "{page}");
        assert!(page.contains("Make keys"), "{page}");
        assert!(
            !out.join("demo-completions.1").exists(),
            "only the binary's own commands"
        );
    }
}
