import CapacityModel
import Foundation
import JobQueue

/// The plan list (with `plans list`'s filters), a plan's page (its report) and the comparison of
/// plans (`plans compare --format html`).
enum ConsolePlanPages {
  /// The plan list's filters as the form sends them back: text as typed, so a refused value is
  /// shown again for correcting.
  struct ListQuery: Equatable {
    var schedule = ""
    var scenario = ""
    var status = ""
    var since = ""
    var limit = 50
  }

  static func list(
    _ plans: [PlanSummary], query: ListQuery, error: String? = nil, viewer: ConsoleViewer
  ) -> String {
    var body = "<header><h1>Plans</h1><div class=\"meta\">Newest first. Money in $M over each plan's horizon."
    body += "</div></header>"
    body += "<form class=\"filters\" method=\"get\" action=\"\(ConsolePaths.plans)\">"
    body += textInput("schedule", query.schedule, label: "schedule (name or id)")
    body += textInput("scenario", query.scenario, label: "scenario id")
    body += "<label>status <select name=\"status\"><option value=\"\">any</option>"
    for s in PlanStatus.allCases {
      body +=
        "<option value=\"\(s.rawValue)\"\(s.rawValue == query.status ? " selected" : "")>\(s.rawValue)</option>"
    }
    body += "</select></label>"
    body += textInput("since", query.since, label: "since (YYYY-MM-DD or ISO 8601)")
    body +=
      "<label>at most <input type=\"number\" name=\"limit\" min=\"1\" max=\"1000\" value=\"\(query.limit)\"></label>"
    body += "<button type=\"submit\">Filter</button></form>"
    if let error { body += "<p class=\"errors\" role=\"alert\">\(html(error))</p>" }
    guard !plans.isEmpty else {
      body += "<p>No plan matches.</p>"
      return ConsoleLayout.page(title: "Plans", section: .plans, viewer: viewer, body: body)
    }
    // The table sits in a GET form to the comparison: tick two or more plans, compare.
    body += "<form method=\"get\" action=\"\(ConsolePaths.compare)\">"
    let rows = plans.map { p -> [String] in
      [
        "<input type=\"checkbox\" name=\"plan\" value=\"\(p.id)\" aria-label=\"compare plan \(p.id)\">",
        ConsoleLayout.link(ConsolePaths.plan(p.id), "plan \(p.id)"), html(isoDate(p.createdAt)),
        html(p.scenarioID), html(p.status), html(p.ebit.map { money($0) } ?? "-"),
        html(percent(p.ebitMargin)),
        html(fixed(p.solveSeconds, 3)), ConsoleLayout.link(ConsolePaths.job(p.jobID), "job \(p.jobID)"),
        p.previousPlanID.map { ConsoleLayout.link(ConsolePaths.plan($0), "plan \($0)") } ?? "-",
        p.scheduleID.map { "\($0)" } ?? "-",
      ]
    }
    body += ConsoleLayout.table(
      header: [
        "", "plan", "created", "scenario", "status", "EBIT ($M)", "EBIT margin", "solve s", "job", "previous",
        "schedule",
      ], rows: rows, numeric: [5, 6, 7], id: "plans")
    body += "<button type=\"submit\">Compare the ticked plans</button></form>"
    return ConsoleLayout.page(title: "Plans", section: .plans, viewer: viewer, body: body)
  }

  /// A plan's page: a bar of links and the plan's report, the same report `plans report` writes.
  static func plan(_ stored: StoredPlan, compare: StoredPlan?, viewer: ConsoleViewer, now: Date) -> String {
    let id = stored.id ?? 0
    var bar = "<p class=\"meta\" id=\"plan-links\">"
    if let s = stored.summary {
      bar += ConsoleLayout.link(ConsolePaths.job(s.jobID), "job \(s.jobID)") + " &middot; "
      if let previous = s.previousPlanID {
        bar += ConsoleLayout.link(ConsolePaths.plan(previous), "previous plan \(previous)") + " &middot; "
        bar +=
          ConsoleLayout.link(
            ConsolePaths.compare + ConsolePaths.query([("plan", "\(previous)"), ("plan", "\(id)")]),
            "compare with plan \(previous)") + " &middot; "
      }
    }
    bar += ConsoleLayout.link(ConsolePaths.plan(id) + "/report", "the report alone (to save or print)")
    bar += "</p><form class=\"filters\" method=\"get\" action=\"\(ConsolePaths.plan(id))\">"
    bar += "<label>show what changed since plan <input type=\"number\" name=\"compare\" min=\"1\""
    bar += compare?.id.map { " value=\"\($0)\"" } ?? ""
    bar += "></label><button type=\"submit\">Show</button></form>"
    let report = ReportHTML(stored: stored, compare: compare, generatedAt: now)
    return ConsoleLayout.page(
      title: "\(stored.title): \(stored.plan.scenario)", section: .plans, viewer: viewer,
      body: bar + report.body)
  }

  /// Two or more plans side by side: the comparison `plans compare --format html` writes.
  static func compare(_ comparison: PlanComparison, onlyDifferences: Bool, viewer: ConsoleViewer, now: Date)
    -> String
  {
    let ids = comparison.plans.compactMap(\.id)
    var bar = "<form class=\"filters\" method=\"get\" action=\"\(ConsolePaths.compare)\">"
    for id in ids { bar += "<input type=\"hidden\" name=\"plan\" value=\"\(id)\">" }
    bar +=
      "<label><input type=\"checkbox\" name=\"only_differences\" value=\"1\"\(onlyDifferences ? " checked" : "")>"
    bar += " only the figures that differ</label><button type=\"submit\">Show</button></form>"
    let page = CompareReportHTML(comparison: comparison, onlyDifferences: onlyDifferences, generatedAt: now)
    return ConsoleLayout.page(
      title: "Comparison of \(ids.count) plans", section: .plans, viewer: viewer,
      extraCSS: CompareReportHTML.css, body: bar + page.body)
  }

  static func textInput(_ name: String, _ value: String, label: String) -> String {
    "<label>\(html(label)) <input type=\"text\" name=\"\(name)\" value=\"\(html(value))\"></label>"
  }
}
