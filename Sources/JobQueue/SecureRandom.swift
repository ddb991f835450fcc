import Foundation

/// Secrets (API tokens, console sessions and keys) come from the system's secure generator and
/// travel as base64url, one way for all of them.
public enum SecureRandom {
  public static func bytes(_ count: Int) -> Data {
    var generator = SystemRandomNumberGenerator()
    return Data((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
  }

  public static func hex(bytes count: Int) -> String {
    bytes(count).map { String(format: "%02x", $0) }.joined()
  }
}

/// base64url without padding (RFC 4648 section 5): safe in a URL, a cookie and a form field.
public enum Base64URL {
  public static func encode(_ data: Data) -> String {
    data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
  }

  public static func decode(_ text: Substring) -> Data? {
    guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
      return nil
    }
    var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while s.count % 4 != 0 { s += "=" }
    return Data(base64Encoded: s)
  }
}
