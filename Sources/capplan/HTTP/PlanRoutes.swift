import CapacityModel
import Foundation
import Hummingbird
import JobQueue

/// `/v1/plans`: list, show, diff, compare, export and report, through the same
/// review code as `capplan plans`.
enum PlanRoutes: RouteGroupProvider {
  static func addRoutes(to router: Router<APIRequestContext>, server: APIServer) {
    let v1 = server.apiGroup(router)

    v1.get("plans") { request, context in
      try context.requireRole(.read)
      let query = QueryParameters(request)
      var filter = PlanFilter()
      filter.scenarioID = try query.string("scenario")
      filter.status = try query.string("status")
      filter.limit = try query.limit(default: 50)
      if let since = try query.string("since") {
        guard let date = SinceDate.parse(since) else {
          throw APIProblem.badRequest(
            "since '\(since)': expected YYYY-MM-DD or ISO 8601 (2026-11-26T09:30:00Z)")
        }
        filter.since = date
      }
      let schedule = try query.string("schedule")
      let asked = filter
      let plans = try await server.store { db throws in
        var filter = asked
        if let schedule { filter.scheduleID = try ScheduleLookup.resolve(schedule, in: db) }
        return try db.plans(filter)
      }
      return try APIJSON.response(plans)
    }

    // Before "plans/:id", though the router prefers the literal either way.
    v1.get("plans/compare") { request, context in
      try context.requireRole(.read)
      let query = QueryParameters(request)
      let ids = try query.all("ids").map { text throws(APIProblem) -> Int64 in
        guard let id = Int64(text), id > 0 else {
          throw APIProblem.badRequest("ids: '\(text)' is not a plan id")
        }
        return id
      }
      let most = PlansCommand.Compare.most
      guard (2...most).contains(ids.count) else {
        throw APIProblem.badRequest("compare takes 2 to \(most) plans (ids=1,2,...); got \(ids.count)")
      }
      let format = try query.choice("format", PlansCommand.Compare.CompareFormat.self) ?? .json
      let only = try query.bool("only_differences") ?? false
      let payload = try await server.store { db throws in
        let comparison = PlanComparison(try ids.map { id throws in try StoredPlan.read(id, from: db) })
        switch format {
        case .json:
          return APIPayload(
            data: try APIJSON.encoder().encode(comparison.document(onlyDifferences: only)),
            contentType: "application/json")
        case .table:
          return APIPayload(
            comparison.table(onlyDifferences: only).text, contentType: "text/plain; charset=utf-8")
        case .markdown:
          return APIPayload(
            comparison.table(onlyDifferences: only).markdown, contentType: "text/markdown; charset=utf-8")
        case .csv:
          return APIPayload(
            comparison.table(onlyDifferences: only, raw: true).csv, contentType: "text/csv; charset=utf-8")
        case .html:
          return APIPayload(
            CompareReportHTML(comparison: comparison, onlyDifferences: only).render(),
            contentType: "text/html; charset=utf-8")
        }
      }
      return APIJSON.payload(payload)
    }

    v1.get("plans/:id") { _, context in
      try context.requireRole(.read)
      let id = try context.parameters.id("id", what: "plan")
      let data = try await server.store { db throws in try db.plan(id).jsonData() }
      return APIJSON.payload(APIPayload(data: data, contentType: "application/json"))
    }

    v1.get("plans/:id/diff/:other") { request, context in
      try context.requireRole(.read)
      let (a, b) = (
        try context.parameters.id("id", what: "plan"), try context.parameters.id("other", what: "plan")
      )
      let query = QueryParameters(request)
      let format = try query.choice("format", PlansCommand.Diff.DiffFormat.self) ?? .json
      let top = try query.int("top") ?? 30
      guard top >= 0 else { throw APIProblem.badRequest("top must be 0 (all) or more; got \(top)") }
      let payload = try await server.store { db throws in
        let (planA, planB) = (try StoredPlan.read(a, from: db), try StoredPlan.read(b, from: db))
        let diff = PlanDiff(planA.plan, planB.plan)
        switch format {
        case .json:
          return APIPayload(
            data: try APIJSON.encoder().encode(PlanDiffDocument(planA, planB, diff: diff)),
            contentType: "application/json")
        case .text, .markdown:
          var tables = PlanDiffTables(diff: diff, nameA: planA.name, nameB: planB.name)
          tables.top = top
          let markdown = format == .markdown
          let text =
            (markdown ? "## " : "") + OutputEscaping.lines(tables.headline, markdown: markdown) + "\n"
            + tables.all.rendered(markdown ? .markdown : .table)
          return APIPayload(
            text, contentType: markdown ? "text/markdown; charset=utf-8" : "text/plain; charset=utf-8")
        }
      }
      return APIJSON.payload(payload)
    }

    v1.get("plans/:id/export") { request, context in
      try context.requireRole(.read)
      let id = try context.parameters.id("id", what: "plan")
      let format = try QueryParameters(request).choice("format", PlanExport.Format.self) ?? .csv
      let payload = try await server.store { db throws in
        try exportPayload(try StoredPlan.read(id, from: db), id: id, format: format)
      }
      return APIJSON.payload(payload)
    }

    v1.get("plans/:id/report") { request, context in
      try context.requireRole(.read)
      let id = try context.parameters.id("id", what: "plan")
      let compare = try QueryParameters(request).id("compare")
      let html = try await server.store { db throws in
        let stored = try StoredPlan.read(id, from: db)
        let other = try compare.map { other throws in try StoredPlan.read(other, from: db) }
        return ReportHTML(stored: stored, compare: other).render()
      }
      return APIJSON.text(html, contentType: "text/html; charset=utf-8")
    }
  }

  /// csv: a zip of plan.json and the CSV files; json: one object with a key per table (and
  /// `plan`); markdown: every table in one document; xlsx: the workbook.
  static func exportPayload(_ stored: StoredPlan, id: Int64, format: PlanExport.Format) throws -> APIPayload {
    let export = PlanExport(stored)
    switch format {
    case .csv:
      return APIPayload(
        data: try ZipArchive.data(try export.files(.csv).map { ($0.name, $0.data) }),
        contentType: "application/zip", filename: "plan-\(id)-csv.zip")
    case .xlsx:
      return APIPayload(
        data: try export.workbook(),
        contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename: "plan-\(id).xlsx")
    case .markdown:
      let text = try export.sheetFiles(.markdown).map { String(decoding: $0.data, as: UTF8.self) }
        .joined(separator: "\n")
      return APIPayload(text, contentType: "text/markdown; charset=utf-8")
    case .json:
      let files = try export.files(.json)
      // The files are JSON texts already; they are put together as they are, not re-encoded.
      var parts: [String] = []
      for file in files {
        let key = file.name.hasSuffix(".json") ? String(file.name.dropLast(5)) : file.name
        parts.append(OutputEscaping.jsonString(key) + ":" + String(decoding: file.data, as: UTF8.self))
      }
      return APIPayload("{" + parts.joined(separator: ",") + "}", contentType: "application/json")
    }
  }
}
