import CapacityModel
import Foundation
import JobQueue

/// The queue overview, the job list and the job page.
enum ConsoleQueuePages {
  /// What the overview shows, read from the store by the caller.
  struct Overview {
    /// Jobs in each state.
    var counts: [(state: JobState, count: Int)]
    var running: [Job]
    /// The newest failed jobs.
    var failed: [Job]
    /// The newest queued jobs (the store lists jobs newest first).
    var queued: [Job]
  }

  static func overview(_ o: Overview, viewer: ConsoleViewer, now: Date, notice: String? = nil) -> String {
    var body = "<header><h1>Queue</h1><div class=\"meta\">As of \(html(isoDate(now))).</div></header>"
    body += "<div class=\"cards\" id=\"counts\">"
    for c in o.counts {
      body += "<div class=\"card\"><div class=\"label\">\(c.state.rawValue)</div>"
      body +=
        "<div class=\"value\"><a href=\"\(ConsolePaths.jobs)?state=\(c.state.rawValue)\">\(c.count)</a></div>"
      body += "<div class=\"unit\">jobs</div></div>"
    }
    body += "</div>"

    body += "<section id=\"running\"><h2>Running</h2>"
    if o.running.isEmpty {
      body += "<p>No job is running.</p>"
    } else {
      let rows = o.running.map { j -> [String] in
        [
          jobLink(j), html(j.scenarioID), startedAgo(j, now: now), progressText(j.progress, now: now),
          html(j.leaseOwner ?? "-"), actions(j, viewer: viewer),
        ]
      }
      body += ConsoleLayout.table(
        header: ["job", "scenario", "running for", "latest progress", "worker", ""], rows: rows)
    }
    body += "</section>"

    body += "<section id=\"failures\"><h2>Recent failures</h2>"
    if o.failed.isEmpty {
      body += "<p>No job has failed.</p>"
    } else {
      let rows = o.failed.map { j -> [String] in
        [
          jobLink(j), html(j.scenarioID), html(isoDate(j.finishedAt)), "\(j.failures) of \(j.maxAttempts)",
          "<span class=\"failure\">\(html(Excerpt.of(j.lastError ?? "-", limit: 300)))</span>",
          actions(j, viewer: viewer),
        ]
      }
      body += ConsoleLayout.table(header: ["job", "scenario", "failed", "tries", "reason", ""], rows: rows)
    }
    body += "</section>"

    body += "<section id=\"queued\"><h2>Waiting, newest first</h2>"
    if o.queued.isEmpty {
      body += "<p>Nothing is waiting.</p>"
    } else {
      body += jobTable(o.queued, viewer: viewer, now: now)
    }
    body += "</section>"
    return ConsoleLayout.page(title: "Queue", section: .queue, viewer: viewer, notice: notice, body: body)
  }

  static func jobList(_ jobs: [Job], state: JobState?, limit: Int, viewer: ConsoleViewer, now: Date) -> String
  {
    var body = "<header><h1>Jobs</h1></header>"
    body += "<form class=\"filters\" method=\"get\" action=\"\(ConsolePaths.jobs)\">"
    body += "<label>state <select name=\"state\"><option value=\"\">any</option>"
    for s in JobState.allCases {
      body += "<option value=\"\(s.rawValue)\"\(s == state ? " selected" : "")>\(s.rawValue)</option>"
    }
    body += "</select></label>"
    body +=
      "<label>at most <input type=\"number\" name=\"limit\" min=\"1\" max=\"1000\" value=\"\(limit)\"></label>"
    body += "<button type=\"submit\">Show</button></form>"
    body += jobs.isEmpty ? "<p>No job matches.</p>" : jobTable(jobs, viewer: viewer, now: now)
    return ConsoleLayout.page(title: "Jobs", section: .jobs, viewer: viewer, body: body)
  }

  static func jobTable(_ jobs: [Job], viewer: ConsoleViewer, now: Date) -> String {
    let rows = jobs.map { j -> [String] in
      [
        jobLink(j), stateBadge(j), html(j.scenarioID), "\(j.priority)", "\(j.attempt)",
        html(isoDate(j.createdAt)),
        j.planID.map { ConsoleLayout.link(ConsolePaths.plan($0), "plan \($0)") } ?? "-",
        html(Excerpt.of(j.lastError ?? "", limit: 80)), actions(j, viewer: viewer),
      ]
    }
    return ConsoleLayout.table(
      header: ["job", "state", "scenario", "priority", "attempt", "created", "plan", "last error", ""],
      rows: rows, numeric: [3, 4])
  }

  static func job(_ j: Job, viewer: ConsoleViewer, now: Date, notice: String? = nil) -> String {
    var body = "<header><h1>Job \(j.id): \(html(j.scenarioID))</h1><div class=\"meta\">\(stateBadge(j))"
    if j.state == .running && j.cancelRequested { body += " &middot; cancel requested" }
    if let plan = j.planID {
      body += " &middot; " + ConsoleLayout.link(ConsolePaths.plan(plan), "plan \(plan)")
    }
    body += "</div><p>\(actions(j, viewer: viewer))</p></header>"
    if let error = j.lastError {
      body += "<section id=\"failure\"><h2>\(j.state == .failed ? "Why it failed" : "Last error")</h2>"
      body += "<p class=\"failure\">\(html(error))</p></section>"
    }
    if let progress = j.progress {
      body += "<section id=\"progress\"><h2>Progress</h2>"
      if j.state == .running { body += "<p>Running for \(startedAgo(j, now: now)).</p>" }
      let rows = JobDetailRow.progressRows(progress, running: j.state == .running, now: now)
      body += detailTable(rows) + "</section>"
    } else if j.state == .running {
      body += "<section id=\"progress\"><h2>Progress</h2>"
      body += "<p>Running for \(startedAgo(j, now: now)).</p><p>No progress reported yet.</p></section>"
    }
    body += "<section id=\"options\"><h2>Options and attempts</h2>"
    body += detailTable(JobDetailRow.rows(j, now: now)) + "</section>"
    return ConsoleLayout.page(
      title: "Job \(j.id)", section: .jobs, viewer: viewer, notice: notice, body: body)
  }

  // MARK: Pieces

  static func jobLink(_ j: Job) -> String { ConsoleLayout.link(ConsolePaths.job(j.id), "job \(j.id)") }

  static func stateBadge(_ j: Job) -> String {
    "<span class=\"state \(j.state.rawValue)\">\(j.state.rawValue)</span>"
  }

  static func startedAgo(_ j: Job, now: Date) -> String {
    guard let started = j.startedAt else { return "-" }
    return ConsoleLayout.duration(now.timeIntervalSince(started))
  }

  /// Cancel and retry as forms, for a viewer whose role may use them.
  static func actions(_ j: Job, viewer: ConsoleViewer) -> String {
    guard viewer.canSubmit else { return "" }
    var out = ""
    if j.state == .queued || (j.state == .running && !j.cancelRequested) {
      out += ConsoleLayout.form(
        action: ConsolePaths.job(j.id) + "/cancel", viewer: viewer, fields: "", button: "Cancel",
        inline: true,
        danger: true)
    }
    if j.state == .failed || j.state == .cancelled {
      out += ConsoleLayout.form(
        action: ConsolePaths.job(j.id) + "/retry", viewer: viewer, fields: "", button: "Retry", inline: true)
    }
    return out
  }

  /// One line: "gap 1.20%, best 80,943.3, bound 81,900.0, 1,204 nodes (12 s ago)".
  static func progressText(_ p: JobProgress?, now: Date) -> String {
    guard let p else { return "no report yet" }
    var parts: [String] = ["\(ConsoleLayout.duration(p.elapsedSeconds)) into the solve"]
    if let gap = p.gap { parts.append("gap " + String(format: "%.3f%%", 100 * gap)) }
    if let best = p.bestPlan { parts.append("best \(money(best)) $M") }
    if let bound = p.bound { parts.append("bound \(money(bound)) $M") }
    if let nodes = p.nodes { parts.append("\(nodes) nodes") }
    parts.append("reported \(ConsoleLayout.duration(now.timeIntervalSince(p.reportedAt))) ago")
    return html(parts.joined(separator: ", "))
  }

  /// The rows `capplan jobs show` prints, as HTML: a plan a row names is linked.
  static func detailTable(_ rows: [JobDetailRow]) -> String {
    let cells = rows.map { row -> [String] in
      [
        html(row.label),
        row.plan.map { ConsoleLayout.link(ConsolePaths.plan($0), row.value) } ?? html(row.value),
      ]
    }
    return ConsoleLayout.table(header: ["field", "value"], rows: cells)
  }
}
