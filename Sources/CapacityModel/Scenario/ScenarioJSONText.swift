import Foundation

extension Scenario {
  /// The scenario as JSON text with the file's field names. JSON is YAML, so the
  /// text loads like any scenario file: it is what a job stores for a scenario
  /// that was made, not read (a sweep's point).
  public func jsonText() throws(ScenarioEditError) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    do {
      return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    } catch {
      throw ScenarioEditError(path: id, message: "cannot be written as JSON: \(error)")
    }
  }
}
