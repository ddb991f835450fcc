import Hummingbird

/// Query parameters read with a 400 that names the parameter, not a silent default.
/// A parameter given with no value (`top=`) is refused rather than read as absent: the caller
/// asked for something, and quietly dropping it would answer a different question.
struct QueryParameters {
  let request: Request

  init(_ request: Request) { self.request = request }

  func string(_ name: String) throws(APIProblem) -> String? {
    guard let text = request.uri.queryParameters.get(name) else { return nil }
    guard !text.isEmpty else {
      throw APIProblem.badRequest("\(name) is empty: give it a value or leave it out")
    }
    return text
  }

  /// Every value of a repeated or comma-separated parameter. Empty values are kept (`state=`,
  /// `ids=1,,2`), so the route refuses them by name instead of reading them as absent.
  func all(_ name: String) -> [String] {
    request.uri.queryParameters.getAll(name).flatMap {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
  }

  func int(_ name: String) throws(APIProblem) -> Int? {
    guard let text = try string(name) else { return nil }
    guard let value = Int(text) else {
      throw APIProblem.badRequest("\(name) '\(text)' is not a whole number")
    }
    return value
  }

  func id(_ name: String) throws(APIProblem) -> Int64? {
    guard let text = try string(name) else { return nil }
    guard let value = Int64(text), value > 0 else {
      throw APIProblem.badRequest("\(name) '\(text)' is not an id (a whole number from 1)")
    }
    return value
  }

  func double(_ name: String) throws(APIProblem) -> Double? {
    guard let text = try string(name) else { return nil }
    guard let value = Double(text), value.isFinite else {
      throw APIProblem.badRequest("\(name) '\(text)' is not a number")
    }
    return value
  }

  func bool(_ name: String) throws(APIProblem) -> Bool? {
    guard let text = try string(name) else { return nil }
    switch text.lowercased() {
    case "true", "1", "yes": return true
    case "false", "0", "no": return false
    default: throw APIProblem.badRequest("\(name) '\(text)' is not true or false")
    }
  }

  func choice<T: RawRepresentable>(_ name: String, _ type: T.Type) throws(APIProblem) -> T?
  where T.RawValue == String, T: CaseIterable {
    guard let text = try string(name) else { return nil }
    guard let value = T(rawValue: text) else {
      let names = T.allCases.map(\.rawValue).joined(separator: ", ")
      throw APIProblem.badRequest("\(name) '\(text)' is not one of: \(names)")
    }
    return value
  }

  /// `limit`, checked like the CLI's --limit.
  func limit(default value: Int, most: Int = 1000) throws(APIProblem) -> Int {
    let limit = try int("limit") ?? value
    guard (1...most).contains(limit) else {
      throw APIProblem.badRequest("limit must be 1 to \(most); got \(limit)")
    }
    return limit
  }
}

extension Parameters {
  /// A path id, or 404: /v1/jobs/abc names no job.
  func id(_ name: String, what: String) throws(APIProblem) -> Int64 {
    let text = get(name) ?? ""
    guard let id = Int64(text), id > 0 else {
      throw APIProblem.notFound("no \(what) '\(text)': ids are whole numbers from 1")
    }
    return id
  }
}
