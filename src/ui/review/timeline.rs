//! The review's timeline: injects, decisions and procedure windows, a moment to scrub to and
//! the situation as it was then.

use super::{
    Body, Compiled, Entry, EventKind, Header, Lang, Line, Plot, PlotPoints, Points, ReviewState,
    SimTime, VLine, fmt_elapsed, scorecard, scoring, tr,
};

pub(super) fn timeline_ui(
    ui: &mut egui::Ui,
    st: &mut ReviewState,
    ctx: &Compiled,
    header: &Header,
    entries: &[Entry],
    lang: Lang,
) {
    let card = scorecard(st, ctx, header, entries).clone();
    let end_min = f64::from(ctx.scenario.duration_min);
    let minutes = |t: SimTime| t as f64 / 60.0;
    let mut injects = Vec::new();
    let mut made = Vec::new();
    let mut expired = Vec::new();
    for e in entries {
        if let Body::Event(ev) = &e.body {
            match &ev.kind {
                EventKind::InjectReleased { .. } | EventKind::AdHocReleased { .. } => {
                    injects.push([minutes(ev.t), 1.0]);
                }
                EventKind::DecisionMade { .. } => made.push([minutes(ev.t), 0.0]),
                EventKind::DecisionExpired { .. } => expired.push([minutes(ev.t), 0.0]),
                _ => {}
            }
        }
    }
    let procs: Vec<_> = card
        .procedures
        .iter()
        .filter(|p| p.triggered_at.is_some())
        .collect();
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(tr(lang, "Moment (min):", "Moment (min):"));
        ui.add(egui::Slider::new(&mut st.moment_min, 0.0..=end_min).step_by(1.0))
            .labelled_by(label.id);
        ui.weak(tr(
            lang,
            "Klik in de tijdlijn om erheen te gaan; scroll of sleep om te zoomen en te schuiven.",
            "Click the timeline to go there; scroll or drag to zoom and pan.",
        ));
    });
    let moment = st.moment_min;
    let response = Plot::new("review-timeline")
        .height((ui.available_height() * 0.55).max(200.0))
        // Room right of the exercise's end for the procedure labels, which sit beside the bars;
        // the legend goes bottom right, below the windows that open first.
        .include_x(minutes(card.end_t.max(60)) * 1.45)
        .legend(egui_plot::Legend::default().position(egui_plot::Corner::RightBottom))
        .show_axes([true, false])
        .show(ui, |p| {
            p.points(
                Points::new(tr(lang, "Injects", "Injects"), PlotPoints::from(injects))
                    .radius(3.0)
                    .color(egui::Color32::from_rgb(80, 140, 220)),
            );
            p.points(
                Points::new(tr(lang, "Besluiten", "Decisions"), PlotPoints::from(made))
                    .radius(4.0)
                    .color(egui::Color32::from_rgb(57, 135, 12)),
            );
            p.points(
                Points::new(tr(lang, "Verlopen", "Expired"), PlotPoints::from(expired))
                    .radius(4.0)
                    .color(egui::Color32::from_rgb(213, 43, 30)),
            );
            for (i, pr) in procs.iter().enumerate() {
                let y = -1.0 - i as f64;
                let t0 = pr.triggered_at.unwrap_or(0);
                // A window ends at its deadline, and never after the exercise's end.
                let end = card
                    .end_t
                    .max(t0)
                    .min(u64::from(ctx.scenario.duration_min) * 60);
                let deadline = pr.allowed_secs.map_or(end, |a| (t0 + a).min(end));
                let colour = match pr.status {
                    scoring::Status::InTime => egui::Color32::from_rgb(57, 135, 12),
                    scoring::Status::Late
                    | scoring::Status::OtherRole
                    | scoring::Status::Open
                    | scoring::Status::Partly => egui::Color32::from_rgb(225, 112, 0),
                    _ => egui::Color32::from_rgb(213, 43, 30),
                };
                // One legend entry for all windows; each window is labelled with its procedure.
                p.line(
                    Line::new(
                        tr(lang, "Procedurevensters", "Procedure windows"),
                        PlotPoints::from(vec![[minutes(t0), y], [minutes(deadline), y]]),
                    )
                    .color(colour)
                    .width(4.0),
                );
                p.text(
                    // An empty name keeps the labels out of the legend.
                    // Right of the window's end, so the label never sits on a bar.
                    egui_plot::Text::new(
                        "",
                        egui_plot::PlotPoint::new(minutes(deadline) + 1.0, y),
                        pr.title.get(lang).to_owned(),
                    )
                    .anchor(egui::Align2::LEFT_CENTER),
                );
                if let Some(d) = pr.done_at {
                    p.points(
                        Points::new(
                            tr(lang, "Voldaan", "Met"),
                            PlotPoints::from(vec![[minutes(d), y]]),
                        )
                        .radius(5.0)
                        .color(colour),
                    );
                }
            }
            p.vline(VLine::new(tr(lang, "Moment", "Moment"), moment));
            p.pointer_coordinate()
        });
    if response.response.clicked()
        && let Some(pt) = response.inner
    {
        st.moment_min = pt.x.clamp(0.0, end_min).round();
    }
    // The situation as it was at the moment: replayed from the journal's events.
    let t = (st.moment_min * 60.0) as u64;
    let vars = crate::projection::vars_at(entries, ctx, t);
    let last_injects: Vec<(SimTime, &str)> = entries
        .iter()
        .take_while(|e| e.t <= t)
        .filter_map(|e| crate::projection::message(e, ctx, lang))
        .map(|m| (m.t, m.title))
        .collect();
    ui.columns(2, |cols| {
        cols[0].strong(format!(
            "{} T+{}",
            tr(lang, "Situatie op", "Situation at"),
            fmt_elapsed(t)
        ));
        crate::ui::widgets::situation_ui(
            &mut cols[0],
            ctx,
            &vars,
            crate::projection::Audience::Control,
            lang,
        );
        cols[1].strong(tr(
            lang,
            "Laatste injects tot dan",
            "Latest injects up to then",
        ));
        for (t, title) in last_injects.iter().rev().take(10) {
            cols[1].label(format!("{} {title}", fmt_elapsed(*t)));
        }
    });
}
