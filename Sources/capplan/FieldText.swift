/// A field's text read as a value, or a refusal that names the field as its front end writes it
/// and says why: query parameters, submissions and the console's form fields all read text
/// here, so a bad value gets the same words wherever it is typed.
enum FieldText {
  struct Refusal: Error, Equatable {
    var message: String
  }

  static func integer(_ name: String, _ text: String) throws(Refusal) -> Int {
    guard let value = Int(text) else { throw Refusal(message: "\(name) '\(text)' is not a whole number") }
    return value
  }

  /// A stored row's id: a whole number from 1.
  static func id(_ name: String, _ text: String) throws(Refusal) -> Int64 {
    guard let value = Int64(text), value > 0 else { throw Refusal(message: notAnID(name, text)) }
    return value
  }

  static func notAnID(_ name: String, _ text: String) -> String {
    "\(name) '\(text)' is not an id (a whole number from 1)"
  }

  /// A number; `finite` refuses nan and inf here, for a field no range check follows (one that
  /// is range-checked refuses them with its range, as the command line does).
  static func number(_ name: String, _ text: String, finite: Bool) throws(Refusal) -> Double {
    guard let value = Double(text), !finite || value.isFinite else {
      throw Refusal(message: "\(name) '\(text)' is not a number")
    }
    return value
  }

  static func bool(_ name: String, _ text: String) throws(Refusal) -> Bool {
    switch text.lowercased() {
    case "true", "1", "yes", "on": return true
    case "false", "0", "no", "off": return false
    default: throw Refusal(message: "\(name) '\(text)' is not true or false")
    }
  }

  static func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ text: String, _: T.Type)
    throws(Refusal) -> T
  where T.RawValue == String {
    guard let value = T(rawValue: text) else {
      let names = T.allCases.map(\.rawValue).joined(separator: ", ")
      throw Refusal(message: "\(name) '\(text)' is not one of: \(names)")
    }
    return value
  }
}
