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

  /// `text` read by `read`, a refusal as a 400.
  private func read<T>(_ name: String, _ read: (String) throws(FieldText.Refusal) -> T) throws(APIProblem)
    -> T?
  {
    guard let text = try string(name) else { return nil }
    do {
      return try read(text)
    } catch {
      throw APIProblem.badRequest(error.message)
    }
  }

  func int(_ name: String) throws(APIProblem) -> Int? {
    try read(name) { (t) throws(FieldText.Refusal) in try FieldText.integer(name, t) }
  }

  func id(_ name: String) throws(APIProblem) -> Int64? {
    try read(name) { (t) throws(FieldText.Refusal) in try FieldText.id(name, t) }
  }

  func double(_ name: String) throws(APIProblem) -> Double? {
    try read(name) { (t) throws(FieldText.Refusal) in try FieldText.number(name, t, finite: true) }
  }

  func bool(_ name: String) throws(APIProblem) -> Bool? {
    try read(name) { (t) throws(FieldText.Refusal) in try FieldText.bool(name, t) }
  }

  func choice<T: RawRepresentable>(_ name: String, _ type: T.Type) throws(APIProblem) -> T?
  where T.RawValue == String, T: CaseIterable {
    try read(name) { (t) throws(FieldText.Refusal) in try FieldText.choice(name, t, type) }
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
