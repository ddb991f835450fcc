import Foundation
import JobQueue
import Testing

@testable import capplan

/// Reading the console's forms, and the upload form's checks: the same as `capplan submit`.
@Suite struct ConsoleFormTests {
  static func multipart(boundary: String, fields: [(String, String)], file: (String, String, Data)?) -> Data {
    var body = Data()
    for (name, value) in fields {
      body += Data(
        "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
    }
    if let (name, fileName, data) = file {
      body += Data(
        "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(fileName)\"\r\nContent-Type: application/x-yaml\r\n\r\n"
          .utf8)
      body += data + Data("\r\n".utf8)
    }
    body += Data("--\(boundary)--\r\n".utf8)
    return body
  }

  @Test func multipartFieldsAndAFile() throws {
    let content = Data("scenario: x\r\n--not-the-boundary\r\nline two\n".utf8)
    let body = Self.multipart(
      boundary: "----WebKitFormBoundaryAbC123",
      fields: [("csrf", "tok"), ("gap", "0.01"), ("plan", "1"), ("plan", "2")],
      file: ("scenario", "seed.yaml", content))
    let form = try ConsoleForm.parse(
      body: body, contentType: "multipart/form-data; boundary=----WebKitFormBoundaryAbC123")
    #expect(form["csrf"] == "tok")
    #expect(form["gap"] == "0.01")
    #expect(form.values["plan"] == ["1", "2"])
    #expect(form.files["scenario"] == ConsoleForm.File(fileName: "seed.yaml", data: content))
    // A quoted boundary.
    let quoted = try ConsoleForm.parse(
      body: body, contentType: "multipart/form-data; boundary=\"----WebKitFormBoundaryAbC123\"")
    #expect(quoted["gap"] == "0.01")
  }

  @Test func brokenMultipartIsRefusedWithAReason() {
    let good = Self.multipart(boundary: "B", fields: [("a", "1")], file: nil)
    for (body, type) in [
      (good, "multipart/form-data"),
      (Data(good.dropLast(6)), "multipart/form-data; boundary=B"),
      (Data("--B\r\nno blank line\r\n--B--".utf8), "multipart/form-data; boundary=B"),
      (Data("--B\r\nContent-Type: text/plain\r\n\r\nx\r\n--B--".utf8), "multipart/form-data; boundary=B"),
      (Data("nothing".utf8), "multipart/form-data; boundary=B"),
      (good, "application/json"),
    ] {
      #expect(throws: ConsoleForm.Failure.self) { try ConsoleForm.parse(body: body, contentType: type) }
    }
  }

  @Test func urlEncodedForms() throws {
    let form = try ConsoleForm.parse(
      body: Data("token=a%2Bb+c&next=%2Fconsole%2Fjobs&plan=3&plan=4&empty".utf8),
      contentType: "application/x-www-form-urlencoded")
    #expect(form["token"] == "a+b c")
    #expect(form["next"] == "/console/jobs")
    #expect(form.values["plan"] == ["3", "4"])
    #expect(form["empty"] == "")
  }

  static var seed: ConsoleForm.File {
    get throws {
      let url = CLI.packageRoot.appendingPathComponent("Models/seed-bedrock-deal.yaml")
      return ConsoleForm.File(fileName: "seed-bedrock-deal.yaml", data: try Data(contentsOf: url))
    }
  }

  @Test func aValidUploadBecomesTheJobSubmitWouldQueue() throws {
    var form = ConsoleSubmitForm()
    form.fileName = "seed-bedrock-deal.yaml"
    form.priority = "5"
    form.maxAttempts = "2"
    form.idempotencyKey = " nightly-1 "
    form.timeLimit = "30"
    form.gap = "0.001"
    form.method = "dual"
    form.rounding = false
    form.previousPlan = "7"
    let file = try Self.seed
    let submission = try form.submission(scenario: file, planExists: { $0 == 7 }).get()
    #expect(submission.scenarioID == "seed-bedrock-deal")
    #expect(submission.source == "seed-bedrock-deal.yaml")
    #expect(submission.scenarioText == String(decoding: file.data, as: UTF8.self), "stored as uploaded")
    #expect(submission.priority == 5 && submission.maxAttempts == 2)
    #expect(submission.idempotencyKey == "nightly-1")
    #expect(submission.options.previousPlanID == 7)
    #expect(submission.options.settings.timeLimitSeconds == 30)
    #expect(submission.options.settings.relativeGap == 0.001)
    #expect(submission.options.settings.method == .dualSimplex)
    #expect(!submission.options.settings.glpk.roundingHeuristic)
  }

  @Test func anInvalidScenarioListsEveryErrorWithItsFieldAndLine() throws {
    var text = String(decoding: try Self.seed.data, as: UTF8.self)
    // Two errors: a negative opex and an unknown field.
    text = text.replacingOccurrences(of: "opex_per_mw_year: 6.5", with: "opex_per_mw_year: -6.5")
    text = text.replacingOccurrences(of: "life_years: 5", with: "life_years: 5\n    colour: blue")
    var form = ConsoleSubmitForm()
    form.fileName = "bad.yaml"
    let result = form.submission(
      scenario: ConsoleForm.File(fileName: "bad.yaml", data: Data(text.utf8)), planExists: { _ in true })
    guard case .failure(.scenario(let issues)) = result else {
      Issue.record("expected scenario issues, got \(result)")
      return
    }
    #expect(issues.count >= 2, "\(issues)")
    #expect(issues.allSatisfy { $0.file == "bad.yaml" && $0.line != nil }, "\(issues)")
    #expect(issues.contains { $0.path.contains("opex_per_mw_year") }, "\(issues)")
    #expect(issues.contains { $0.path.contains("colour") }, "\(issues)")
    // The page lists each with its field and line.
    let page = ConsoleFormPages.submit(
      form: form, problem: .scenario(issues), viewer: ConsoleEscapingTests.viewer)
    for issue in issues {
      #expect(page.contains("<code>\(html(issue.path))</code>"))
      #expect(page.contains("<td class=\"num\">\(issue.line ?? 0)</td>"))
    }
  }

  @Test func badOptionsAreListedTogether() throws {
    var form = ConsoleSubmitForm()
    form.gap = "-1"
    form.priority = "high"
    form.maxAttempts = "0"
    form.previousPlan = "99"
    form.method = "simplex"
    let result = form.submission(scenario: try Self.seed, planExists: { _ in false })
    guard case .failure(.fields(let messages)) = result else {
      Issue.record("expected field problems, got \(result)")
      return
    }
    let text = messages.joined(separator: "\n")
    #expect(text.contains("priority 'high' is not a whole number"), "\(text)")
    #expect(text.contains("max attempts 0 is out of range"), "\(text)")
    #expect(text.contains("previous plan: no plan 99"), "\(text)")
    #expect(text.contains("method 'simplex' is not one of: primal"), "\(text)")
    #expect(text.contains("gap -1 is out of range"), "\(text)")
    guard case .failure(let none) = ConsoleSubmitForm().submission(scenario: nil, planExists: { _ in true })
    else {
      Issue.record("no file was accepted")
      return
    }
    #expect(none == .fields(["choose a scenario file to upload"]))
  }

  @Test func npvWithoutADiscountRateIsRefusedAsSubmitRefusesIt() throws {
    var form = ConsoleSubmitForm()
    form.fileName = "seed-bedrock-deal.yaml"
    form.objective = "npv"
    let result = form.submission(scenario: try Self.seed, planExists: { _ in true })
    guard case .failure(.fields(let messages)) = result else {
      Issue.record("expected a refusal, got \(result)")
      return
    }
    #expect(messages.count == 1 && messages[0].hasPrefix("seed-bedrock-deal.yaml: "), "\(messages)")
    #expect(messages[0].contains("discount_rate"), "\(messages)")
  }
}

extension ConsoleSubmitForm.Problem: CustomStringConvertible {
  public var description: String {
    switch self {
    case .fields(let m): "fields: \(m)"
    case .scenario(let i): "scenario: \(i)"
    }
  }
}
