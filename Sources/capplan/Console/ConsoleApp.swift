import Foundation
import JobQueue

/// A request as the console needs it, whatever server carries it.
struct ConsoleRequest: Sendable {
  var method: String
  /// The path without its query: `/console/jobs/3`.
  var path: String
  /// The raw query string, without `?`.
  var query: String = ""
  /// Header names in lower case.
  var headers: [String: String] = [:]
  var body = Data()

  var queryForm: ConsoleForm { ConsoleForm.urlEncoded(query) }
  /// Over https, as a TLS proxy in front says.
  var isSecure: Bool { headers["x-forwarded-proto"]?.lowercased() == "https" }
  var pathAndQuery: String { query.isEmpty ? path : "\(path)?\(query)" }
}

/// What the console answers: an HTML page or a redirect, with cookies to set.
struct ConsoleResponse: Sendable, Equatable {
  var status: Int
  var headers: [String: String] = [:]
  var body: String = ""

  static func page(_ status: Int, _ html: String) -> ConsoleResponse {
    ConsoleResponse(
      status: status,
      headers: [
        "Content-Type": "text/html; charset=utf-8",
        // No script, style or frame from anywhere: the pages have none of their own but inline CSS.
        "Content-Security-Policy":
          "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cache-Control": "no-store",
      ], body: html)
  }

  /// 303 See Other: after a POST, the browser GETs the page.
  static func redirect(_ location: String, cookie: String? = nil) -> ConsoleResponse {
    var headers = ["Location": location, "Cache-Control": "no-store"]
    if let cookie { headers["Set-Cookie"] = cookie }
    return ConsoleResponse(status: 303, headers: headers)
  }
}

/// The API token a session was signed in with.
struct ConsoleIdentity: Sendable, Equatable {
  var tokenID: String
  var name: String
  var role: APIRole
}

/// Where the console checks tokens: the API's token store, behind this so the console does not
/// depend on how tokens are kept.
protocol ConsoleTokenDirectory: Sendable {
  /// The token a pasted secret is, if it is valid and not revoked.
  func identity(secret: String) async -> ConsoleIdentity?
  /// The token with this id, if it is still valid: asked on every request, so revoking a token
  /// ends the sessions made with it.
  func identity(tokenID: String) async -> ConsoleIdentity?
}

/// The web console: sign-in, sessions and CSRF, role checks, then the pages and actions
/// (`ConsoleApp+Routes.swift`). Independent of the HTTP server, which hands it whole requests
/// (bodies already size-limited) and sends back what it answers.
struct ConsoleApp: Sendable {
  let store: any PlanDatabase
  let tokens: any ConsoleTokenDirectory
  let keys: ConsoleSessionKeys
  /// The server's store threads.
  let threads: StoreThreads
  var clock: @Sendable () -> Date = Date.init

  /// Who is signed in, for a route.
  struct Caller: Sendable {
    var identity: ConsoleIdentity
    var viewer: ConsoleViewer
  }

  func handle(_ request: ConsoleRequest) async -> ConsoleResponse {
    let now = clock()
    let session = ConsoleCookie.value(inCookieHeader: request.headers["cookie"] ?? "")
      .flatMap { try? keys.session(fromCookie: $0, now: now).get() }
    if request.path == ConsolePaths.signIn {
      return await signIn(request, session: session, now: now)
    }
    guard let session, let tokenID = session.tokenID, let identity = await tokens.identity(tokenID: tokenID)
    else {
      // No session, an expired or forged one, or its token was revoked: sign in (again), then
      // come back here (a GET page; after a POST, the queue).
      let next = request.method == "GET" ? request.pathAndQuery : ConsolePaths.root
      return .redirect(ConsolePaths.signIn + ConsolePaths.query([("next", next)]))
    }
    let caller = Caller(
      identity: identity,
      viewer: ConsoleViewer(
        tokenName: identity.name, role: identity.role.rawValue, csrfToken: keys.csrfToken(for: session),
        canSubmit: identity.role >= .submit, canAdmin: identity.role >= .admin))
    switch request.method {
    case "GET", "HEAD":
      return await get(request, caller: caller, now: now)
    case "POST":
      let form: ConsoleForm
      do {
        form = try ConsoleForm.parse(body: request.body, contentType: request.headers["content-type"])
      } catch {
        return .page(
          400,
          ConsoleFormPages.message(
            status: 400, title: "Bad form", message: error.description, viewer: caller.viewer))
      }
      guard keys.checkCSRF(form[ConsoleForm.csrfField], for: session) else {
        return .page(
          403,
          ConsoleFormPages.message(
            status: 403, title: "Form expired",
            message:
              "The form did not carry this session's CSRF token (it was opened before signing in again, or came from another site). Reload the page and try again.",
            viewer: caller.viewer))
      }
      if request.path == ConsolePaths.signOut {
        keys.signedOut.add(session, now: now)
        return .redirect(ConsolePaths.signIn, cookie: ConsoleCookie.clear(secure: request.isSecure))
      }
      return await post(request, form: form, caller: caller, now: now)
    default:
      return .page(
        405,
        ConsoleFormPages.message(
          status: 405, title: "Method not allowed", message: "The console answers GET and POST.",
          viewer: caller.viewer))
    }
  }

  /// The sign-in page and form. The page gets a short session of its own (no token) so that
  /// its form carries a CSRF token like every other; signing in replaces it with a new session,
  /// so a session id planted before sign-in is worth nothing after.
  func signIn(_ request: ConsoleRequest, session: ConsoleSession?, now: Date) async -> ConsoleResponse {
    let next = request.queryForm["next"] ?? ""
    switch request.method {
    case "GET", "HEAD":
      if let session, let id = session.tokenID, await tokens.identity(tokenID: id) != nil {
        return .redirect(ConsolePaths.isConsolePath(next) ? next : ConsolePaths.root)
      }
      let pageSession =
        session.flatMap { $0.tokenID == nil ? $0 : nil } ?? ConsoleSession.new(tokenID: nil, now: now)
      var response = ConsoleResponse.page(
        200, ConsoleFormPages.signIn(csrfToken: keys.csrfToken(for: pageSession), next: next))
      response.headers["Set-Cookie"] = cookie(pageSession, now: now, request: request)
      return response
    case "POST":
      let form: ConsoleForm
      do {
        form = try ConsoleForm.parse(body: request.body, contentType: request.headers["content-type"])
      } catch {
        return .page(
          400,
          ConsoleFormPages.message(status: 400, title: "Bad form", message: error.description, viewer: nil))
      }
      let next = form["next"] ?? ""
      guard let session, keys.checkCSRF(form[ConsoleForm.csrfField], for: session) else {
        // A fresh page session, so that the form shown can be sent.
        let fresh = ConsoleSession.new(tokenID: nil, now: now)
        var response = ConsoleResponse.page(
          403,
          ConsoleFormPages.signIn(
            csrfToken: keys.csrfToken(for: fresh),
            error: "The sign-in form expired or came from another site; sign in again.",
            next: next))
        response.headers["Set-Cookie"] = cookie(fresh, now: now, request: request)
        return response
      }
      let secret = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
      guard !secret.isEmpty, secret.utf8.count <= 512, let identity = await tokens.identity(secret: secret)
      else {
        return .page(
          401,
          ConsoleFormPages.signIn(
            csrfToken: keys.csrfToken(for: session),
            error: "That token is not valid (unknown, revoked or mistyped).",
            next: next))
      }
      let signedIn = ConsoleSession.new(tokenID: identity.tokenID, now: now)
      if session.tokenID != nil { keys.signedOut.add(session, now: now) }
      return .redirect(
        ConsolePaths.isConsolePath(next) ? next : ConsolePaths.root,
        cookie: cookie(signedIn, now: now, request: request))
    default:
      return .page(
        405,
        ConsoleFormPages.message(
          status: 405, title: "Method not allowed", message: "Sign in with the form.", viewer: nil))
    }
  }

  func cookie(_ session: ConsoleSession, now: Date, request: ConsoleRequest) -> String {
    ConsoleCookie.setCookie(
      keys.cookieValue(session), maxAge: max(0, session.expiresAt - Int64(now.timeIntervalSince1970)),
      secure: request.isSecure)
  }

  /// Runs a synchronous store call on the server's store threads, off Swift's cooperative
  /// threads (a store call may wait on the database).
  func storeCall<T: Sendable>(_ body: @escaping @Sendable (any PlanDatabase) throws(StoreError) -> T) async
    -> Result<T, StoreError>
  {
    let store = self.store
    do {
      return .success(try await threads.run { () throws(StoreError) -> T in try body(store) })
    } catch let error as StoreError {
      return .failure(error)
    } catch {
      return .failure(StoreError(.database, "the store threads are stopping: \(error)"))
    }
  }
}
