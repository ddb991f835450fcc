import CapacityModel
import Foundation
import JobQueue

/// The console's pages (GET, role read) and actions (POST, the role the matching API action
/// needs: cancel, retry and submit need submit; schedule changes need admin).
extension ConsoleApp {
  func get(_ request: ConsoleRequest, caller: Caller, now: Date) async -> ConsoleResponse {
    let parts = segments(request.path)
    let route = (parts.count, parts.first ?? "", parts.count > 1 ? parts[1] : "", parts.last ?? "")
    let query = request.queryForm
    let viewer = caller.viewer
    let notice = query["notice"].flatMap { ConsoleNotice(rawValue: $0) }.map {
      $0.text(subject: query["subject"] ?? "")
    }
    switch route {
    case (0, _, _, _):
      return await respond(viewer) { store throws(StoreError) in
        // One grouped count in the store, exact however big the queue.
        let byState = try store.jobCountsByState()
        let counts = JobState.allCases.map { (state: $0, count: byState[$0] ?? 0) }
        let overview = ConsoleQueuePages.Overview(
          counts: counts, running: try store.jobs(JobFilter(states: [.running], limit: 100)),
          failed: try store.jobs(JobFilter(states: [.failed], limit: 10)),
          queued: try store.jobs(JobFilter(states: [.queued], limit: 10)))
        return .page(200, ConsoleQueuePages.overview(overview, viewer: viewer, now: now, notice: notice))
      }
    case (1, "jobs", _, _):
      let state = query["state"].flatMap { JobState(rawValue: $0) }
      let limit = min(1000, max(1, Int(query["limit"] ?? "") ?? 50))
      return await respond(viewer) { store throws(StoreError) in
        let jobs = try store.jobs(JobFilter(states: state.map { [$0] }, limit: limit))
        return .page(
          200, ConsoleQueuePages.jobList(jobs, state: state, limit: limit, viewer: viewer, now: now))
      }
    case (2, "jobs", let id, _):
      guard let id = Int64(id) else { return notFound(viewer) }
      return await respond(viewer) { store throws(StoreError) in
        .page(200, ConsoleQueuePages.job(try store.job(id), viewer: viewer, now: now, notice: notice))
      }
    case (1, "schedules", _, _):
      return await respond(viewer) { store throws(StoreError) in
        .page(
          200, ConsoleSchedulesPage.render(try store.schedules(), viewer: viewer, now: now, notice: notice))
      }
    case (1, "plans", _, _):
      return await planList(query, viewer: viewer)
    case (2, "plans", let id, _):
      guard let id = Int64(id) else { return notFound(viewer) }
      return await planPage(id, compare: query["compare"], alone: false, viewer: viewer, now: now)
    case (3, "plans", let id, "report"):
      guard let id = Int64(id) else { return notFound(viewer) }
      return await planPage(id, compare: query["compare"], alone: true, viewer: viewer, now: now)
    case (1, "compare", _, _):
      return await compare(query, viewer: viewer, now: now)
    case (1, "submit", _, _):
      return .page(200, ConsoleFormPages.submit(viewer: viewer))
    default:
      return notFound(viewer)
    }
  }

  func post(_ request: ConsoleRequest, form: ConsoleForm, caller: Caller, now: Date) async -> ConsoleResponse
  {
    let parts = segments(request.path)
    let route = (parts.count, parts.first ?? "", parts.count > 1 ? parts[1] : "", parts.last ?? "")
    let viewer = caller.viewer
    switch route {
    case (3, "jobs", let id, let action) where action == "cancel" || action == "retry":
      guard caller.identity.role >= .submit else { return forbidden(.submit, viewer) }
      guard let id = Int64(id) else { return notFound(viewer) }
      return await respond(viewer) { store throws(StoreError) in
        if action == "cancel" {
          let job = try store.cancel(id, now: now)
          let notice: ConsoleNotice = job.state == .cancelled ? .cancelled : .cancelRequested
          return .redirect(ConsolePaths.job(id) + ConsolePaths.query([("notice", notice.rawValue)]))
        }
        _ = try store.retry(id, now: now)
        return .redirect(
          ConsolePaths.job(id) + ConsolePaths.query([("notice", ConsoleNotice.retried.rawValue)]))
      }
    case (3, "schedules", let name, let action) where ["pause", "resume", "run-now"].contains(action):
      guard caller.identity.role >= .admin else { return forbidden(.admin, viewer) }
      return await respond(viewer) { store throws(StoreError) in
        let notice: ConsoleNotice
        switch action {
        case "pause":
          _ = try store.setPaused(name, true, now: now)
          notice = .paused
        case "resume":
          _ = try store.setPaused(name, false, now: now)
          notice = .resumed
        default:
          let fire = try Scheduler(store: store, clock: { now }).fireNow(name)
          if let job = fire.jobID {
            return .redirect(
              ConsolePaths.job(job)
                + ConsolePaths.query([("notice", ConsoleNotice.fired.rawValue), ("subject", name)]))
          }
          notice = .firedWithoutJob
        }
        return .redirect(
          ConsolePaths.schedules + ConsolePaths.query([("notice", notice.rawValue), ("subject", name)]))
      }
    case (1, "submit", _, _):
      guard caller.identity.role >= .submit else { return forbidden(.submit, viewer) }
      return await submit(form, viewer: viewer, now: now)
    default:
      return notFound(viewer)
    }
  }

  // MARK: Pages that read more than one thing

  func planList(_ query: ConsoleForm, viewer: ConsoleViewer) async -> ConsoleResponse {
    var list = ConsolePlanPages.ListQuery()
    list.schedule = query["schedule"] ?? ""
    list.scenario = query["scenario"] ?? ""
    list.status = query["status"] ?? ""
    list.since = query["since"] ?? ""
    list.limit = min(1000, max(1, Int(query["limit"] ?? "") ?? 50))
    var filter = PlanFilter()
    filter.limit = list.limit
    filter.scenarioID = list.scenario.isEmpty ? nil : list.scenario
    filter.status = list.status.isEmpty ? nil : list.status
    var problem: String?
    if !list.since.isEmpty {
      if let date = SinceDate.parse(list.since) {
        filter.since = date
      } else {
        problem = "since \(list.since): expected YYYY-MM-DD or ISO 8601 (2026-11-26T09:30:00Z)"
      }
    }
    let scheduleText = list.schedule
    let (filterNow, problemNow, listNow) = (filter, problem, list)
    return await respond(viewer) { store throws(StoreError) in
      var filter = filterNow
      var problem = problemNow
      if !scheduleText.isEmpty {
        do throws(CommandFailure) {
          filter.scheduleID = try ScheduleLookup.resolve(scheduleText, in: store)
        } catch {
          problem = error.message
        }
      }
      let plans = problem == nil ? try store.plans(filter) : []
      return .page(
        problem == nil ? 200 : 400,
        ConsolePlanPages.list(plans, query: listNow, error: problem, viewer: viewer))
    }
  }

  func planPage(_ id: Int64, compare: String?, alone: Bool, viewer: ConsoleViewer, now: Date) async
    -> ConsoleResponse
  {
    let compareID = compare.flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
    return await respond(viewer) { store throws(StoreError) in
      let stored = try StoredPlan.read(id, from: store)
      let other = try compareID.map { id throws(StoreError) in try StoredPlan.read(id, from: store) }
      if alone { return .page(200, ReportHTML(stored: stored, compare: other, generatedAt: now).render()) }
      return .page(200, ConsolePlanPages.plan(stored, compare: other, viewer: viewer, now: now))
    }
  }

  func compare(_ query: ConsoleForm, viewer: ConsoleViewer, now: Date) async -> ConsoleResponse {
    let ids = (query.values["plan"] ?? []).compactMap { Int64($0) }
    let most = PlansCommand.Compare.most
    guard (2...most).contains(ids.count) else {
      return .page(
        400,
        ConsoleFormPages.message(
          status: 400, title: "Pick plans to compare",
          message:
            "A comparison takes 2 to \(most) plans; \(ids.count) were ticked. Tick them in the plan list.",
          viewer: viewer))
    }
    let only = query["only_differences"] != nil
    return await respond(viewer) { store throws(StoreError) in
      var plans: [StoredPlan] = []
      for id in ids { plans.append(try StoredPlan.read(id, from: store)) }
      return .page(
        200, ConsolePlanPages.compare(PlanComparison(plans), onlyDifferences: only, viewer: viewer, now: now))
    }
  }

  func submit(_ form: ConsoleForm, viewer: ConsoleViewer, now: Date) async -> ConsoleResponse {
    let fields = ConsoleSubmitForm(form)
    let file = form.files["scenario"]
    return await respond(viewer) { store throws(StoreError) in
      let checked = fields.submission(scenario: file) { id in (try? store.planSummary(id)) != nil }
      switch checked {
      case .failure(let problem):
        return .page(422, ConsoleFormPages.submit(form: fields, problem: problem, viewer: viewer))
      case .success(let submission):
        let (job, created) = try store.submit(submission, now: now)
        let notice: ConsoleNotice = created ? .queued : .alreadyQueued
        return .redirect(ConsolePaths.job(job.id) + ConsolePaths.query([("notice", notice.rawValue)]))
      }
    }
  }

  // MARK: Pieces

  /// The path's segments after `/console`, percent-decoded.
  func segments(_ path: String) -> [String] {
    guard path.hasPrefix(ConsolePaths.root) else { return ["-"] }
    return path.dropFirst(ConsolePaths.root.count).split(separator: "/").map {
      $0.removingPercentEncoding ?? String($0)
    }
  }

  /// Runs a store read or write and answers its page, or the page for its error.
  func respond(
    _ viewer: ConsoleViewer,
    _ body: @escaping @Sendable (any PlanDatabase) throws(StoreError) -> ConsoleResponse
  ) async -> ConsoleResponse {
    switch await storeCall(body) {
    case .success(let response): return response
    case .failure(let error):
      let (status, title) = APIProblem.status(of: error.kind)
      return .page(
        status, ConsoleFormPages.message(status: status, title: title, message: error.message, viewer: viewer)
      )
    }
  }

  func notFound(_ viewer: ConsoleViewer) -> ConsoleResponse {
    .page(
      404,
      ConsoleFormPages.message(
        status: 404, title: "Not found", message: "No console page here.", viewer: viewer))
  }

  func forbidden(_ need: APIRole, _ viewer: ConsoleViewer) -> ConsoleResponse {
    .page(403, ConsoleFormPages.forbidden(need: need.rawValue, viewer: viewer))
  }
}

/// What an action did, shown on the page it redirects to. Only these fixed texts: a notice is
/// read from the URL, which anyone can write, so it never carries text of its own but the
/// subject (a schedule name), which the page escapes.
enum ConsoleNotice: String {
  case cancelled, cancelRequested = "cancel-requested", retried, queued, alreadyQueued = "already-queued"
  case paused, resumed, fired, firedWithoutJob = "fired-without-job"

  func text(subject: String) -> String {
    switch self {
    case .cancelled: "Job cancelled."
    case .cancelRequested: "Cancel requested: the job's worker stops the solve."
    case .retried: "Job queued again."
    case .queued: "Scenario queued."
    case .alreadyQueued: "A job with this idempotency key exists already; this is it."
    case .paused: "Schedule \(subject) paused."
    case .resumed: "Schedule \(subject) resumed."
    case .fired: "Schedule \(subject) fired: this is its job."
    case .firedWithoutJob: "Schedule \(subject) fired but made no job: see its last note."
    }
  }
}
