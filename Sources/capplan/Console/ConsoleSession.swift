import Crypto
import Foundation
import JobQueue
import Synchronization

/// A console session as its cookie carries it. The cookie holds this, signed, and nothing
/// secret: the API token's id (never its secret), so a stolen cookie cannot be turned into a
/// bearer token, and a revoked token ends every session made with it (the id is looked up on
/// each request).
struct ConsoleSession: Codable, Sendable, Equatable {
  /// 128 random bits, hex: what the CSRF token is bound to.
  var id: String
  /// The API token signed in with; nil for the sign-in page's own short session, which exists
  /// only so that the sign-in form carries a CSRF token like every other form.
  var tokenID: String?
  /// Unix seconds.
  var expiresAt: Int64

  enum CodingKeys: String, CodingKey { case id = "sid", tokenID = "tid", expiresAt = "exp" }

  /// How long a signed-in session lasts.
  static let signedInSeconds: Int64 = 8 * 3600
  /// How long the sign-in page's session lasts: enough to paste a token.
  static let signInPageSeconds: Int64 = 30 * 60

  static func new(tokenID: String?, now: Date) -> ConsoleSession {
    let lifetime = tokenID == nil ? signInPageSeconds : signedInSeconds
    return ConsoleSession(
      id: SecureRandom.hex(bytes: 16), tokenID: tokenID,
      expiresAt: Int64(now.timeIntervalSince1970) + lifetime)
  }
}

/// Why a cookie does not give a session. Each is answered the same way (sign in again); the
/// cases exist for tests and logs.
enum ConsoleSessionRejection: Error, Equatable, Sendable {
  case malformed, badSignature, expired, signedOut
}

/// The console's server secret and what is made with it: signed session cookies and CSRF tokens.
/// Both are HMAC-SHA256 under keys derived from the one secret for each use, so a CSRF token can
/// never pass as a cookie signature or the other way round.
struct ConsoleSessionKeys: Sendable {
  // Kept as bytes: swift-crypto's SymmetricKey is not Sendable; a key is made per use.
  private let cookieKeyBytes: Data
  private let csrfKeyBytes: Data
  private var cookieKey: SymmetricKey { SymmetricKey(data: cookieKeyBytes) }
  private var csrfKey: SymmetricKey { SymmetricKey(data: csrfKeyBytes) }
  /// Sessions signed out in this process, until they would have expired anyway.
  let signedOut = ConsoleSignOuts()

  init(secret: Data) {
    let master = SymmetricKey(data: secret)
    cookieKeyBytes = Data(
      HMAC<SHA256>.authenticationCode(for: Data("capplan console cookie".utf8), using: master))
    csrfKeyBytes = Data(
      HMAC<SHA256>.authenticationCode(for: Data("capplan console csrf".utf8), using: master))
  }

  /// The cookie's value: base64url(JSON of the session) "." base64url(HMAC of that JSON).
  func cookieValue(_ session: ConsoleSession) -> String {
    // Three plain fields: JSONEncoder cannot fail on them.
    let payload = (try? JSONEncoder().encode(session)) ?? Data()
    let mac = HMAC<SHA256>.authenticationCode(for: payload, using: cookieKey)
    return Base64URL.encode(payload) + "." + Base64URL.encode(Data(mac))
  }

  /// The session a cookie value carries, if it is one this server signed, unexpired and not
  /// signed out.
  func session(fromCookie value: String, now: Date) -> Result<ConsoleSession, ConsoleSessionRejection> {
    // A real cookie is about 150 bytes; a long one is refused before any decoding.
    guard value.utf8.count <= 1024 else { return .failure(.malformed) }
    let parts = value.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, let payload = Base64URL.decode(parts[0]),
      let mac = Base64URL.decode(parts[1])
    else { return .failure(.malformed) }
    guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: payload, using: cookieKey) else {
      return .failure(.badSignature)
    }
    guard let session = try? JSONDecoder().decode(ConsoleSession.self, from: payload) else {
      return .failure(.malformed)
    }
    guard session.expiresAt > Int64(now.timeIntervalSince1970) else { return .failure(.expired) }
    guard !signedOut.contains(session.id, now: now) else { return .failure(.signedOut) }
    return .success(session)
  }

  /// The CSRF token every form of `session` carries: HMAC of the session id.
  func csrfToken(for session: ConsoleSession) -> String {
    Base64URL.encode(Data(HMAC<SHA256>.authenticationCode(for: Data(session.id.utf8), using: csrfKey)))
  }

  /// Whether a form's CSRF token is the one bound to `session` (compared in constant time).
  func checkCSRF(_ token: String?, for session: ConsoleSession) -> Bool {
    guard let token, token.utf8.count <= 128, let mac = Base64URL.decode(Substring(token)) else {
      return false
    }
    return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data(session.id.utf8), using: csrfKey)
  }
}

/// Session ids signed out in this process. A cookie is self-contained, so without this list a
/// copy of it would work until it expired; with it, signing out ends the session on this server
/// (a restart forgets the list, and with a random secret every session with it).
final class ConsoleSignOuts: Sendable {
  private let ids = Mutex<[String: Int64]>([:])

  func add(_ session: ConsoleSession, now: Date) {
    let nowSeconds = Int64(now.timeIntervalSince1970)
    ids.withLock { ids in
      ids = ids.filter { $0.value > nowSeconds }
      ids[session.id] = session.expiresAt
    }
  }

  func contains(_ id: String, now: Date) -> Bool {
    ids.withLock { $0[id].map { $0 > Int64(now.timeIntervalSince1970) } ?? false }
  }
}

/// Where the console's secret comes from: `CAPPLAN_CONSOLE_SECRET_FILE` (a file of at least 32
/// bytes, e.g. `head -c 32 /dev/urandom > secret`), else `CAPPLAN_CONSOLE_SECRET` (at least 32
/// characters), else 32 random bytes drawn at start: then sessions end when the process does, and
/// several front ends behind one address each need the same file.
enum ConsoleSecret {
  static let fileVariable = "CAPPLAN_CONSOLE_SECRET_FILE"
  static let valueVariable = "CAPPLAN_CONSOLE_SECRET"
  static let minimumBytes = 32

  struct Failure: Error, CustomStringConvertible, Sendable {
    var description: String
  }

  /// The secret and where it came from, for the start-up log line.
  static func load(environment: [String: String]) throws(Failure) -> (secret: Data, source: String) {
    if let path = environment[fileVariable], !path.isEmpty {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw Failure(description: "\(fileVariable)=\(path): cannot read the console secret file")
      }
      // A trailing newline from `echo` is not part of the secret.
      let trimmed = Data(data.reversed().drop { $0 == 0x0A || $0 == 0x0D }.reversed())
      guard trimmed.count >= minimumBytes else {
        throw Failure(
          description:
            "\(fileVariable)=\(path): the console secret has \(trimmed.count) bytes; it needs at least \(minimumBytes) (head -c 32 /dev/urandom > FILE)"
        )
      }
      return (trimmed, "the file \(path)")
    }
    if let value = environment[valueVariable], !value.isEmpty {
      guard value.utf8.count >= minimumBytes else {
        throw Failure(
          description:
            "\(valueVariable) has \(value.utf8.count) characters; the console secret needs at least \(minimumBytes)"
        )
      }
      return (Data(value.utf8), valueVariable)
    }
    return (SecureRandom.bytes(minimumBytes), "random for this process (sessions end when it stops)")
  }
}

/// The console's cookie on the wire.
enum ConsoleCookie {
  static let name = "capplan_console"
  static let path = "/console"

  /// `Set-Cookie` for a session: only the console's paths see it, no script can read it, and no
  /// other site's page can make the browser send it. `secure` when the request came over https
  /// (through a TLS proxy that says so with `X-Forwarded-Proto`).
  static func setCookie(_ value: String, maxAge: Int64, secure: Bool) -> String {
    "\(name)=\(value); Path=\(path); Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
      + (secure ? "; Secure" : "")
  }

  /// `Set-Cookie` that removes it.
  static func clear(secure: Bool) -> String { setCookie("", maxAge: 0, secure: secure) }

  /// The console cookie's value in a `Cookie` request header, if present.
  static func value(inCookieHeader header: String) -> String? {
    for pair in header.split(separator: ";") {
      let trimmed = pair.trimmingCharacters(in: .whitespaces)
      guard let eq = trimmed.firstIndex(of: "=") else { continue }
      if trimmed[..<eq] == name { return String(trimmed[trimmed.index(after: eq)...]) }
    }
    return nil
  }
}
