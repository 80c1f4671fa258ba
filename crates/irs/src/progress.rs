//! Progress bars on stderr for the ingest phases (indicatif), drawn only when stderr is a
//! terminal.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

use blindlink_ingest::{IngestProgress, Phase};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// One bar per phase, replaced at each `begin`.
#[derive(Debug)]
pub struct PhaseBars {
    visible: bool,
    bar: Mutex<Option<ProgressBar>>,
}

impl PhaseBars {
    /// Bars that draw when stderr is a terminal.
    pub fn new() -> PhaseBars {
        PhaseBars {
            visible: std::io::stderr().is_terminal(),
            bar: Mutex::new(None),
        }
    }

    fn make(&self, phase: Phase, total: Option<u64>) -> ProgressBar {
        let target = if self.visible {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = match total {
            Some(total) => {
                let units = match phase {
                    Phase::ReadAndKeys => "{bytes}/{total_bytes}",
                    _ => "{human_pos}/{human_len}",
                };
                let template =
                    format!("{{msg:18}} [{{bar:40}}] {units} {{percent:>3}}% eta {{eta}}");
                let bar = ProgressBar::with_draw_target(Some(total), target);
                if let Ok(style) = ProgressStyle::with_template(&template) {
                    bar.set_style(style.progress_chars("=> "));
                }
                bar
            }
            None => {
                let bar = ProgressBar::with_draw_target(None, target);
                if let Ok(style) = ProgressStyle::with_template("{msg:18} {spinner} {elapsed}") {
                    bar.set_style(style);
                }
                bar.enable_steady_tick(Duration::from_millis(120));
                bar
            }
        };
        bar.set_message(phase.label());
        bar
    }
}

impl IngestProgress for PhaseBars {
    fn begin(&self, phase: Phase, total: Option<u64>) {
        let bar = self.make(phase, total);
        if let Ok(mut slot) = self.bar.lock()
            && let Some(old) = slot.replace(bar)
        {
            old.finish_and_clear();
        }
    }

    fn advance(&self, steps: u64) {
        if let Ok(slot) = self.bar.lock()
            && let Some(bar) = slot.as_ref()
        {
            bar.inc(steps);
        }
    }

    fn end(&self) {
        if let Ok(mut slot) = self.bar.lock()
            && let Some(bar) = slot.take()
        {
            bar.finish_and_clear();
        }
    }
}
