import CapacityModel
import Foundation
import JobQueue
import Testing

@testable import capplan

/// Nothing a user wrote reaches a console page as markup: scenario ids, sources, schedule names
/// and paths, failure messages, idempotency keys, worker names, file names, form values, token
/// names, scenario issues and a plan's own text all carry a script tag and both quote characters,
/// and every page is checked for them raw.
@Suite struct ConsoleEscapingTests {
  static let hostile = #"x<script>alert(1)</script>"y'z&"#
  static let viewer = ConsoleViewer(
    tokenName: hostile, role: "admin", csrfToken: "csrf-token", canSubmit: true, canAdmin: true)
  let now = Date(timeIntervalSince1970: 1_800_000_000)

  /// No raw script tag and no quote character of the hostile text outside an escape.
  func expectEscaped(_ page: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(!page.lowercased().contains("<script"), "\(what): a raw <script>", sourceLocation: sourceLocation)
    #expect(!page.contains(#"</script>"y"#), "\(what)", sourceLocation: sourceLocation)
    #expect(
      !page.contains(#""y'z"#) && !page.contains("y'z"), "\(what): a raw quote",
      sourceLocation: sourceLocation)
    #expect(
      page.contains("x&lt;script&gt;alert(1)&lt;/script&gt;&quot;y&#39;z&amp;"),
      "\(what): the text is shown, escaped", sourceLocation: sourceLocation)
  }

  func job(_ id: Int64, _ state: JobState) -> Job {
    let h = Self.hostile
    return Job(
      id: id, state: state, scenarioID: h, source: h, scenarioSHA256: h, options: JobOptions(), priority: 0,
      idempotencyKey: h, attempt: 1, failures: state == .failed ? 3 : 0, maxAttempts: 3,
      runAfter: now, leaseOwner: state == .running ? h : nil, leaseExpiresAt: now.addingTimeInterval(60),
      cancelRequested: false, lastError: state == .failed ? h + "\nsecond line" : nil,
      planID: state == .succeeded ? 9 : nil, scheduleID: nil, createdAt: now.addingTimeInterval(-100),
      startedAt: now.addingTimeInterval(-90), finishedAt: state.isFinal ? now : nil,
      progress: JobProgress(
        reportedAt: now, elapsedSeconds: 12, objective: h, bestPlan: 80, bound: 81, gap: 0.01))
  }

  @Test func queueAndJobPages() {
    let overview = ConsoleQueuePages.Overview(
      counts: JobState.allCases.map { ($0, 1) }, running: [job(1, .running)],
      failed: [job(2, .failed)],
      queued: [job(3, .queued)])
    expectEscaped(
      ConsoleQueuePages.overview(overview, viewer: Self.viewer, now: now, notice: Self.hostile), "queue")
    for state in JobState.allCases {
      expectEscaped(ConsoleQueuePages.job(job(4, state), viewer: Self.viewer, now: now), "job page, \(state)")
    }
    expectEscaped(
      ConsoleQueuePages.jobList([job(5, .failed)], state: .failed, limit: 50, viewer: Self.viewer, now: now),
      "jobs")
  }

  @Test func schedulesPage() {
    let h = Self.hostile
    let schedule = Schedule(
      id: 1, name: h, scenarioPath: h, cron: "0 6 * * 1", intervalSeconds: nil, timeZone: h,
      options: JobOptions(),
      skipUnchanged: false, paused: false, nextFireAt: now.addingTimeInterval(3600), lastFiredAt: now,
      lastNote: h, createdAt: now, overridePaths: [h], caseName: h)
    var paused = schedule
    paused.paused = true
    let page = ConsoleSchedulesPage.render([schedule, paused], viewer: Self.viewer, now: now)
    expectEscaped(page, "schedules")
    // The name in the forms' actions is percent-encoded, never raw.
    #expect(page.contains("/console/schedules/x%3Cscript%3Ealert%281%29%3C%2Fscript%3E%22y%27z%26/pause"))
  }

  @Test func planListAndFilters() {
    let h = Self.hostile
    let summary = PlanSummary(
      id: 3, jobID: 4, attempt: 1, scenarioID: h, scenarioSHA256: h, status: h, objective: 1, ebit: 7.5,
      revenue: 14, ebitMargin: 0.5357, solveSeconds: 0.01, previousPlanID: nil, scheduleID: nil,
      createdAt: now)
    let query = ConsolePlanPages.ListQuery(schedule: h, scenario: h, status: h, since: h, limit: 5)
    expectEscaped(ConsolePlanPages.list([summary], query: query, error: h, viewer: Self.viewer), "plans")
  }

  /// A real plan of the seed scenario whose scenario id, warnings and offering use are hostile.
  func hostilePlan(id: Int64) throws -> StoredPlan {
    let path = CLI.packageRoot.appendingPathComponent("Models/seed-bedrock-deal.yaml").path
    let document = try ScenarioLoader.load(contentsOf: path)
    var plan = try Planner.plan(try ScenarioValidator.validate(document))
    plan.scenario = Self.hostile
    plan.warnings = [Self.hostile]
    let summary = PlanSummary(
      id: id, jobID: 4, attempt: 1, scenarioID: Self.hostile, scenarioSHA256: "",
      status: plan.status.rawValue,
      objective: plan.objective, ebit: plan.totals?.ebit, revenue: plan.totals?.revenue,
      ebitMargin: plan.totals?.ebitMargin, solveSeconds: 0, previousPlanID: nil, scheduleID: nil,
      createdAt: now)
    return StoredPlan(id: id, plan: plan, summary: summary, scenario: nil, scenarioNote: Self.hostile)
  }

  @Test func planAndComparePages() throws {
    let a = try hostilePlan(id: 1)
    let b = try hostilePlan(id: 2)
    let page = ConsolePlanPages.plan(b, compare: a, viewer: Self.viewer, now: now)
    expectEscaped(page, "plan")
    #expect(page.contains("<div class=\"value\">7.5</div>"), "the report's EBIT card")
    let compare = ConsolePlanPages.compare(
      PlanComparison([a, b]), onlyDifferences: false, viewer: Self.viewer, now: now)
    #expect(!compare.lowercased().contains("<script"))
    #expect(compare.contains("Comparison of 2 plans"))
  }

  @Test func submitSignInAndMessagePages() {
    let h = Self.hostile
    var form = ConsoleSubmitForm()
    form.fileName = h
    form.caseName = h
    form.idempotencyKey = h
    form.timeLimit = h
    form.gap = h
    form.method = h
    form.objective = h
    form.previousPlan = h
    form.proximitySearch = h
    let issues = [ScenarioIssue(file: h, path: h, line: 3, message: h)]
    expectEscaped(
      ConsoleFormPages.submit(form: form, problem: .scenario(issues), viewer: Self.viewer), "submit")
    expectEscaped(
      ConsoleFormPages.submit(form: form, problem: .fields([h]), viewer: Self.viewer), "submit fields")
    let signIn = ConsoleFormPages.signIn(csrfToken: h, error: h, next: "/console/jobs?x=\(h)")
    #expect(!signIn.lowercased().contains("<script") && !signIn.contains("y'z"))
    expectEscaped(ConsoleFormPages.message(status: 404, title: h, message: h, viewer: nil), "message")
    expectEscaped(ConsoleFormPages.forbidden(need: "admin", viewer: Self.viewer), "forbidden")
  }
}
