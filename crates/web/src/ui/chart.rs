//! Line charts drawn on the server as SVG (plotters' SVG backend, no fonts needed: the text is
//! SVG text). The SVG keeps a `viewBox` and no fixed size, so it scales to the page width (a
//! phone's 360 px) and prints as vector graphics.

use plotters::prelude::*;

/// One line: its label and a value per x.
pub struct Series<'a> {
    pub label: &'a str,
    pub values: Vec<u64>,
    /// Dashed in the legend and the line (told apart in black-and-white print too).
    pub dashed: bool,
}

const COLOURS: [RGBColor; 3] = [RGBColor(0xb3, 0x1b, 0x1b), RGBColor(0x1d, 0x4e, 0x89), RGBColor(0x2e, 0x7d, 0x32)];

/// A chart of `series` over the labels `xs` (years), `title` read by screen readers. An SVG
/// document as text; empty if drawing fails (never for these inputs).
pub fn line_chart(title: &str, xs: &[i32], series: &[Series]) -> String {
    let mut svg = String::new();
    if draw(&mut svg, xs, series).is_err() {
        return String::new();
    }
    // No fixed size: the page's CSS gives the width, the viewBox the proportions.
    let svg = svg.replacen(r#"<svg width="640" height="360" "#, r#"<svg class="chart" role="img" "#, 1);
    svg.replacen('>', &format!("><title>{}</title>", escape(title)), 1)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn draw(svg: &mut String, xs: &[i32], series: &[Series]) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::with_string(svg, (640, 360)).into_drawing_area();
    root.fill(&WHITE)?;
    let (first, last) = (xs.first().copied().unwrap_or(0), xs.last().copied().unwrap_or(0));
    let top = series.iter().flat_map(|s| s.values.iter().copied()).max().unwrap_or(0);
    let top = (top + top / 10).max(4);
    let mut chart = ChartBuilder::on(&root)
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(first..last.max(first + 1), 0u64..top)?;
    chart
        .configure_mesh()
        .x_labels(xs.len().max(2))
        .y_labels(5)
        .label_style(("sans-serif", 20))
        .x_label_formatter(&|y| y.to_string())
        .disable_x_mesh()
        .draw()?;
    for (i, s) in series.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        let style = colour.stroke_width(3);
        let points: Vec<(i32, u64)> = xs.iter().copied().zip(s.values.iter().copied()).collect();
        let drawn = if s.dashed {
            chart.draw_series(DashedLineSeries::new(points.clone(), 10, 6, style))?
        } else {
            chart.draw_series(LineSeries::new(points.clone(), style))?
        };
        drawn.label(s.label).legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], colour.stroke_width(3)));
        chart.draw_series(points.iter().map(|&p| Circle::new(p, 4, colour.filled())))?;
    }
    if series.len() > 1 {
        chart
            .configure_series_labels()
            .label_font(("sans-serif", 20))
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .position(SeriesLabelPosition::UpperLeft)
            .draw()?;
    }
    root.present()?;
    Ok(())
}
