import Foundation
import JobQueue

/// The schedules page: each schedule's cadence, last and next fire times, why its last fire made
/// no job, and pause/resume/run-now forms for a role that may change schedules.
enum ConsoleSchedulesPage {
  static func render(_ schedules: [Schedule], viewer: ConsoleViewer, now: Date, notice: String? = nil)
    -> String
  {
    var body = "<header><h1>Schedules</h1><div class=\"meta\">`capplan serve` fires these; "
    body += "`capplan schedule add` makes them. Times in UTC.</div></header>"
    guard !schedules.isEmpty else {
      body +=
        "<p>No schedule yet. <code>capplan schedule add NAME SCENARIO --cron '0 6 * * 1'</code> adds one.</p>"
      return ConsoleLayout.page(
        title: "Schedules", section: .schedules, viewer: viewer, notice: notice, body: body)
    }
    let rows = schedules.map { s -> [String] in
      let next =
        s.paused
        ? "paused"
        : isoDate(s.nextFireAt) + " (in \(ConsoleLayout.duration(s.nextFireAt.timeIntervalSince(now))))"
      return [
        "<span id=\"schedule-\(s.id)\">\(html(s.name))</span>", html(s.scenarioSource), html(cadenceText(s)),
        html(isoDate(s.lastFiredAt)), html(next), html(s.lastNote ?? "-"),
        html(s.options.settings.differencesFromDefaults),
        ConsoleLayout.link(ConsolePaths.plans + ConsolePaths.query([("schedule", s.name)]), "plans"),
        actions(s, viewer: viewer),
      ]
    }
    body += ConsoleLayout.table(
      header: [
        "name", "scenario", "cadence", "last fired", "next fire", "last fire's note", "solve settings", "",
        "",
      ], rows: rows, id: "schedules")
    return ConsoleLayout.page(
      title: "Schedules", section: .schedules, viewer: viewer, notice: notice, body: body)
  }

  static func actions(_ s: Schedule, viewer: ConsoleViewer) -> String {
    guard viewer.canAdmin else { return "" }
    var out = ConsoleLayout.form(
      action: ConsolePaths.schedule(s.name, s.paused ? "resume" : "pause"), viewer: viewer, fields: "",
      button: s.paused ? "Resume" : "Pause", inline: true)
    out += ConsoleLayout.form(
      action: ConsolePaths.schedule(s.name, "run-now"), viewer: viewer, fields: "", button: "Run now",
      inline: true)
    return out
  }
}
