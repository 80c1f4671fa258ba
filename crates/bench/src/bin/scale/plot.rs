//! SVG plots (plotters, SVG backend only: text is written as SVG text, no font files).
//!
//! - `scale-throughput.svg`: holder encoding throughput against holder size (sweep),
//!   measured and the primitive bound.
//! - `scale-sweep-phases.svg`: time per phase against holder size (sweep).
//! - `scale-phases.svg`: time per phase of the main run, measured next to its bound.

use std::path::Path;

use plotters::prelude::*;

use crate::run::{HOLDER_TOTAL, RunResult};

const SIZE: (u32, u32) = (960, 560);
const COLORS: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];

fn human(x: f64) -> String {
    if x >= 1e6 {
        format!("{:.1}M", x / 1e6)
    } else if x >= 1e3 {
        format!("{:.0}k", x / 1e3)
    } else {
        format!("{x:.0}")
    }
}

fn color(i: usize) -> RGBColor {
    COLORS.get(i % COLORS.len()).copied().unwrap_or(BLACK)
}

/// Holder encoding throughput (keys per second) against holder records.
pub fn throughput(path: &Path, sweep: &[RunResult]) -> anyhow::Result<()> {
    let points: Vec<(f64, f64, f64)> = sweep
        .iter()
        .filter_map(|r| {
            let p = r.find(HOLDER_TOTAL)?;
            let bound = p.bound_seconds.filter(|b| *b > 0.0)?;
            Some((
                r.holder_records as f64,
                p.elements_per_second,
                p.elements as f64 / bound,
            ))
        })
        .collect();
    anyhow::ensure!(!points.is_empty(), "no sweep points to plot");
    let xmin = points.iter().map(|p| p.0).fold(f64::MAX, f64::min) / 1.3;
    let xmax = points.iter().map(|p| p.0).fold(0.0, f64::max) * 1.3;
    let ymax = points.iter().map(|p| p.1.max(p.2)).fold(0.0, f64::max) * 1.2;
    let root = SVGBackend::new(path, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Holder encoding throughput vs holder size",
            ("sans-serif", 22),
        )
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(80)
        .build_cartesian_2d((xmin..xmax).log_scale(), 0f64..ymax)?;
    chart
        .configure_mesh()
        .x_desc("holder records (log scale)")
        .y_desc("holder keys per second")
        .x_label_formatter(&|x| human(*x))
        .y_label_formatter(&|y| human(*y))
        .draw()?;
    let series: [(&str, Vec<(f64, f64)>); 2] = [
        (
            "measured: normalize + keys + uniqueness + OPRF + encode",
            points.iter().map(|p| (p.0, p.1)).collect(),
        ),
        (
            "bound: HashToGroup + mul + batched compress + Finalize hash",
            points.iter().map(|p| (p.0, p.2)).collect(),
        ),
    ];
    for (i, (label, data)) in series.into_iter().enumerate() {
        let c = color(i);
        chart
            .draw_series(LineSeries::new(data.clone(), c.stroke_width(2)))?
            .label(label)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(2)));
        chart.draw_series(data.into_iter().map(|p| Circle::new(p, 4, c.filled())))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(())
}

/// Seconds per phase against holder records (log-log).
pub fn sweep_phases(path: &Path, sweep: &[RunResult]) -> anyhow::Result<()> {
    let first = sweep
        .first()
        .ok_or_else(|| anyhow::anyhow!("empty sweep"))?;
    let names: Vec<String> = first
        .phases
        .iter()
        .map(|p| p.name.clone())
        .chain(std::iter::once(HOLDER_TOTAL.to_owned()))
        .collect();
    let lines: Vec<(String, Vec<(f64, f64)>)> = names
        .iter()
        .map(|name| {
            let data = sweep
                .iter()
                .filter_map(|r| Some((r.holder_records as f64, r.find(name)?.seconds.max(1e-4))))
                .collect();
            (name.clone(), data)
        })
        .collect();
    let all = lines.iter().flat_map(|(_, d)| d.iter());
    let (mut xmin, mut xmax, mut ymin, mut ymax) = (f64::MAX, 0f64, f64::MAX, 0f64);
    for &(x, y) in all {
        (xmin, xmax, ymin, ymax) = (xmin.min(x), xmax.max(x), ymin.min(y), ymax.max(y));
    }
    let root = SVGBackend::new(path, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let caption = format!(
        "Time per phase vs holder size (request: {} records)",
        first.request_records
    );
    let mut chart = ChartBuilder::on(&root)
        .caption(caption, ("sans-serif", 22))
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(70)
        .build_cartesian_2d(
            (xmin / 1.3..xmax * 1.3).log_scale(),
            (ymin / 2.0..ymax * 2.0).log_scale(),
        )?;
    chart
        .configure_mesh()
        .x_desc("holder records (log scale)")
        .y_desc("seconds (log scale)")
        .x_label_formatter(&|x| human(*x))
        .draw()?;
    for (i, (label, data)) in lines.into_iter().enumerate() {
        let c = color(i);
        chart
            .draw_series(LineSeries::new(data.clone(), c.stroke_width(2)))?
            .label(label)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(2)));
        chart.draw_series(data.into_iter().map(|p| Circle::new(p, 3, c.filled())))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(())
}

/// Horizontal bars: each phase of `run`, measured and (where it has one) its bound.
pub fn run_phases(path: &Path, run: &RunResult) -> anyhow::Result<()> {
    let rows: Vec<(String, f64, Option<f64>)> = run
        .phases
        .iter()
        .map(|p| {
            let label = match p.ratio {
                Some(r) => format!("{} ({r:.3}x)", p.name),
                None => p.name.clone(),
            };
            (label, p.seconds, p.bound_seconds)
        })
        .collect();
    let n = rows.len() as f64;
    let xmax = rows
        .iter()
        .map(|r| r.1.max(r.2.unwrap_or(0.0)))
        .fold(0.0, f64::max)
        * 1.1;
    let labels: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let root = SVGBackend::new(path, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let caption = format!(
        "Time per phase: {} holder records, {} request records, measured vs bound",
        human(run.holder_records as f64),
        human(run.request_records as f64)
    );
    let mut chart = ChartBuilder::on(&root)
        .caption(caption, ("sans-serif", 20))
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(330)
        .build_cartesian_2d(0f64..xmax.max(1e-3), 0f64..n)?;
    let label_at = move |y: &f64| {
        let i = y.floor();
        if (y - i - 0.5).abs() < 1e-6 {
            labels
                .get((n - 1.0 - i) as usize)
                .cloned()
                .unwrap_or_default()
        } else {
            String::new()
        }
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_desc("seconds")
        .y_labels(rows.len() * 2 + 1)
        .y_label_formatter(&label_at)
        .draw()?;
    let (measured, bound) = (color(0), color(1));
    for (i, (_, seconds, b)) in rows.iter().enumerate() {
        let y = n - 1.0 - i as f64;
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0, y + 0.52), (*seconds, y + 0.88)],
            measured.filled(),
        )))?;
        if let Some(b) = b {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0.0, y + 0.12), (*b, y + 0.48)],
                bound.filled(),
            )))?;
        }
    }
    for (label, c) in [("measured", measured), ("bound (primitives)", bound)] {
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())?
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], c.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(())
}
