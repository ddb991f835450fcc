import Foundation
import HTTPTypes
import Hummingbird
import JobQueue
import NIOCore

/// The web console under `/console` (Sources/capplan/Console): every path of the group goes to
/// `ConsoleApp`, which signs people in with a session cookie (not a bearer token), checks the
/// CSRF token of every POST and the role of every action, and answers HTML.
enum ConsoleRoutes: RouteGroupProvider {
  /// The process's session keys, from `ConsoleSecret` (read once: every router of the process
  /// must sign and check with the same secret).
  static let keys: Result<(keys: ConsoleSessionKeys, source: String), ConsoleSecret.Failure> = Result {
    () throws(ConsoleSecret.Failure) in
    let (secret, source) = try ConsoleSecret.load(environment: ProcessInfo.processInfo.environment)
    return (ConsoleSessionKeys(secret: secret), source)
  }

  /// Where the secret came from, or why it cannot be had: `serve --http` calls this before it
  /// starts, so a bad secret file stops it with the reason.
  static func prepare() throws(CommandFailure) -> String {
    switch keys {
    case .success(let k): return k.source
    case .failure(let failure): throw CommandFailure(message: failure.description, outcome: .invalidInput)
    }
  }

  static func addRoutes(to router: Router<APIRequestContext>, server: APIServer) {
    guard case .success(let loaded) = keys else { return }
    let app = ConsoleApp(
      store: server.store, tokens: StoreTokenDirectory(server: server), keys: loaded.keys,
      threads: server.threads)
    let handler: @Sendable (Request, APIRequestContext) async throws -> Response = { request, context in
      var request = request
      // Over the limit: 413 from the server's error middleware, as for the API.
      let body = try await request.collectBody(upTo: context.maxUploadSize)
      var headers: [String: String] = [:]
      for field in request.headers { headers[field.name.canonicalName] = field.value }
      let answer = await app.handle(
        ConsoleRequest(
          method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
          headers: headers, body: Data(buffer: body)))
      var fields = HTTPFields()
      for (name, value) in answer.headers {
        if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
      }
      return Response(
        status: HTTPResponse.Status(code: answer.status), headers: fields,
        body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body)))
    }
    for path in ["console", "console/**"] {
      router.get(RouterPath(path), use: handler)
      router.post(RouterPath(path), use: handler)
    }
    // Browsers ask for /favicon.ico beside any page without an icon link (the plan report alone
    // has none: it links nothing off itself); an empty answer spares them a 404 in the console.
    router.get("favicon.ico") { _, _ in Response(status: .noContent) }
  }
}

/// The console's view of the API's tokens: a pasted secret checked as a bearer token is, and a
/// session's token looked up by id (revoked: gone).
struct StoreTokenDirectory: ConsoleTokenDirectory {
  let server: APIServer

  func identity(secret: String) async -> ConsoleIdentity? {
    guard let identity = try? await server.authenticator.identity(forSecret: secret) else { return nil }
    return ConsoleIdentity(tokenID: "\(identity.tokenID)", name: identity.name, role: identity.role)
  }

  func identity(tokenID: String) async -> ConsoleIdentity? {
    guard let id = Int64(tokenID) else { return nil }
    let token = try? await server.store { store throws(StoreError) in try store.token(id) }
    guard let token = token ?? nil, !token.isRevoked else { return nil }
    return ConsoleIdentity(tokenID: tokenID, name: token.name, role: token.role)
  }
}
