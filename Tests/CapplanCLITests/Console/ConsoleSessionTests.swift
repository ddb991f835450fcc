import Crypto
import Foundation
import JobQueue
import Testing

@testable import capplan

/// The console's signed session cookie and its CSRF tokens: what a forged, altered, expired or
/// signed-out cookie gets, and which CSRF tokens pass.
@Suite struct ConsoleSessionTests {
  let keys = ConsoleSessionKeys(secret: Data(repeating: 7, count: 32))
  let now = Date(timeIntervalSince1970: 1_800_000_000)

  func signedIn(token: String = "tok_12") -> ConsoleSession {
    ConsoleSession.new(tokenID: token, now: now)
  }

  @Test func aCookieReadsBackAsItsSession() throws {
    let session = signedIn()
    let value = keys.cookieValue(session)
    #expect(try keys.session(fromCookie: value, now: now).get() == session)
    #expect(session.expiresAt == 1_800_000_000 + ConsoleSession.signedInSeconds)
    #expect(session.id.count == 32, "128 random bits as hex")
    #expect(ConsoleSession.new(tokenID: "tok_12", now: now).id != session.id)
  }

  /// The JSON a cookie value (or a `name=value` cookie) carries, decoded from its base64url.
  static func payload(ofCookie cookie: String) throws -> String {
    let value = cookie.split(separator: "=", maxSplits: 1).last.map(String.init) ?? cookie
    let data = try #require(Base64URL.decode(value.split(separator: ".")[0]))
    return String(decoding: data, as: UTF8.self)
  }

  @Test func theCookieCarriesTheTokenIdAndExpiryOnly() throws {
    let value = keys.cookieValue(signedIn(token: "tok_12"))
    let payload = try #require(Base64URL.decode(value.split(separator: ".")[0]))
    let object = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
    #expect(Set(object.keys) == ["sid", "tid", "exp"])
    #expect(object["tid"] as? String == "tok_12")
  }

  @Test func anAlteredCookieIsRefused() throws {
    let session = signedIn(token: "reader")
    let value = keys.cookieValue(session)
    let parts = value.split(separator: ".").map(String.init)
    // The payload rewritten to name another token (an admin's), signature kept.
    var forged = session
    forged.tokenID = "admin"
    let forgedPayload = Base64URL.encode(try JSONEncoder().encode(forged))
    #expect(keys.session(fromCookie: forgedPayload + "." + parts[1], now: now) == .failure(.badSignature))
    // A later expiry, signature kept.
    var longer = session
    longer.expiresAt += 1_000_000
    let longerPayload = Base64URL.encode(try JSONEncoder().encode(longer))
    #expect(keys.session(fromCookie: longerPayload + "." + parts[1], now: now) == .failure(.badSignature))
    // One character of the signature changed.
    var sig = Array(parts[1])
    sig[3] = sig[3] == "A" ? "B" : "A"
    #expect(keys.session(fromCookie: parts[0] + "." + String(sig), now: now) == .failure(.badSignature))
    // Signed with another server's secret.
    let other = ConsoleSessionKeys(secret: Data(repeating: 8, count: 32))
    #expect(keys.session(fromCookie: other.cookieValue(session), now: now) == .failure(.badSignature))
    // Not a cookie of ours at all.
    for junk in ["", ".", "abc", parts[0], "a.b.c", "%%%.$$$", String(repeating: "A", count: 5000)] {
      #expect(keys.session(fromCookie: junk, now: now) == .failure(.malformed), "\(junk.prefix(20))")
    }
  }

  @Test func anExpiredSessionIsRefused() {
    let session = signedIn()
    let value = keys.cookieValue(session)
    let justBefore = Date(timeIntervalSince1970: Double(session.expiresAt - 1))
    #expect((try? keys.session(fromCookie: value, now: justBefore).get()) == session)
    let atExpiry = Date(timeIntervalSince1970: Double(session.expiresAt))
    #expect(keys.session(fromCookie: value, now: atExpiry) == .failure(.expired))
    let signInPage = ConsoleSession.new(tokenID: nil, now: now)
    #expect(signInPage.expiresAt == 1_800_000_000 + ConsoleSession.signInPageSeconds)
  }

  @Test func aSignedOutSessionIsRefusedAndOthersAreNot() {
    let a = signedIn()
    let b = signedIn()
    keys.signedOut.add(a, now: now)
    #expect(keys.session(fromCookie: keys.cookieValue(a), now: now) == .failure(.signedOut))
    #expect((try? keys.session(fromCookie: keys.cookieValue(b), now: now).get()) == b)
  }

  @Test func csrfTokensAreBoundToTheirSession() {
    let a = signedIn()
    let b = signedIn()
    let tokenA = keys.csrfToken(for: a)
    #expect(keys.checkCSRF(tokenA, for: a))
    #expect(!keys.checkCSRF(tokenA, for: b), "another session's token")
    #expect(!keys.checkCSRF(nil, for: a), "no token")
    #expect(!keys.checkCSRF("", for: a))
    var altered = Array(tokenA)
    altered[0] = altered[0] == "x" ? "y" : "x"
    #expect(!keys.checkCSRF(String(altered), for: a), "an altered token")
    let other = ConsoleSessionKeys(secret: Data(repeating: 8, count: 32))
    #expect(!keys.checkCSRF(other.csrfToken(for: a), for: a), "another server's token")
    // The CSRF token is not the cookie's signature (keys derived apart).
    #expect(!keys.cookieValue(a).hasSuffix(tokenA))
    // Recomputed from the secret: the CSRF token is the session id's HMAC under the key derived
    // for CSRF, not under the one derived for cookies (a leaked cookie key forges no form).
    let master = SymmetricKey(data: Data(repeating: 7, count: 32))
    func derived(_ label: String) -> SymmetricKey {
      SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(label.utf8), using: master)))
    }
    func mac(_ key: SymmetricKey) -> String {
      Base64URL.encode(Data(HMAC<SHA256>.authenticationCode(for: Data(a.id.utf8), using: key)))
    }
    #expect(tokenA == mac(derived("capplan console csrf")))
    #expect(tokenA != mac(derived("capplan console cookie")))
  }

  @Test func cookieAttributes() {
    let set = ConsoleCookie.setCookie("v", maxAge: 60, secure: false)
    #expect(set == "capplan_console=v; Path=/console; Max-Age=60; HttpOnly; SameSite=Strict")
    #expect(ConsoleCookie.setCookie("v", maxAge: 60, secure: true).hasSuffix("; Secure"))
    #expect(ConsoleCookie.clear(secure: false).contains("Max-Age=0"))
    #expect(ConsoleCookie.value(inCookieHeader: "a=1; capplan_console=x.y; b=2") == "x.y")
    #expect(ConsoleCookie.value(inCookieHeader: "capplan_console_other=1") == nil)
  }

  @Test func theSecretComesFromAFileTheEnvironmentOrChance() throws {
    let dir = try CLI.temporaryDirectory()
    let file = dir.appendingPathComponent("secret").path
    try Data((String(repeating: "k", count: 40) + "\n").utf8).write(to: URL(fileURLWithPath: file))
    let fromFile = try ConsoleSecret.load(environment: [ConsoleSecret.fileVariable: file])
    #expect(fromFile.secret == Data(String(repeating: "k", count: 40).utf8), "the newline is not the secret")
    try Data("short".utf8).write(to: URL(fileURLWithPath: file))
    #expect(throws: ConsoleSecret.Failure.self) {
      try ConsoleSecret.load(environment: [ConsoleSecret.fileVariable: file])
    }
    #expect(throws: ConsoleSecret.Failure.self) {
      try ConsoleSecret.load(environment: [
        ConsoleSecret.fileVariable: dir.appendingPathComponent("none").path
      ])
    }
    #expect(throws: ConsoleSecret.Failure.self) {
      try ConsoleSecret.load(environment: [ConsoleSecret.valueVariable: "too short"])
    }
    let value = String(repeating: "v", count: 32)
    #expect(
      try ConsoleSecret.load(environment: [ConsoleSecret.valueVariable: value]).secret == Data(value.utf8))
    let a = try ConsoleSecret.load(environment: [:])
    let b = try ConsoleSecret.load(environment: [:])
    #expect(a.secret.count == 32 && a.secret != b.secret)
  }

  @Test func signInRedirectsStayInTheConsole() {
    #expect(ConsolePaths.isConsolePath("/console/jobs/3"))
    #expect(ConsolePaths.isConsolePath("/console"))
    #expect(ConsolePaths.isConsolePath("/console/plans?scenario=a"))
    for bad in [
      "https://evil.example/", "//evil.example", "/console//evil.example", "/consolex", "/v1/jobs",
      "/console/\\evil", "/console/a b",
    ] {
      #expect(!ConsolePaths.isConsolePath(bad), "\(bad)")
    }
  }
}
