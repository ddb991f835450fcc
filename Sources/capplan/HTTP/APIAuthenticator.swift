import Foundation
import HTTPTypes
import Hummingbird
import JobQueue

/// Checks token secrets against the store. The API's middleware uses it for
/// `Authorization: Bearer`; the console can use it to check a secret typed in
/// a sign-in form.
struct APIAuthenticator: Sendable {
  let store: any TokenStore
  let threads: StoreThreads
  /// Secrets accepted in the last seconds; nil checks every request in the store.
  var cache: TokenIdentityCache? = nil

  /// The identity of a valid, unrevoked secret; 401 for any other.
  func identity(forSecret secret: String) async throws -> APIIdentity {
    // Hash before looking: the store only knows hashes, and a lookup by hash takes
    // the same time whatever prefix of a real secret the caller guessed.
    let hash = APITokenSecret.hash(secret)
    if let known = cache?.identity(forHash: hash) { return known }
    let store = self.store
    let token = try await threads.run { () throws(StoreError) in
      try store.authenticate(secretSHA256: hash, now: Date())
    }
    guard let token else { throw APIProblem.unauthorized("the API token is not valid") }
    guard !token.isRevoked else { throw APIProblem.unauthorized("the API token was revoked") }
    let identity = APIIdentity(token)
    cache?.remember(identity, forHash: hash)
    return identity
  }

  /// The secret of an `Authorization: Bearer SECRET` header, or 401.
  static func bearerSecret(_ request: Request) throws(APIProblem) -> String {
    guard let header = request.headers[.authorization] else {
      throw APIProblem.unauthorized("send an API token as 'Authorization: Bearer <token>'")
    }
    let parts = header.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
      throw APIProblem.unauthorized("the Authorization header must be 'Bearer <token>'")
    }
    return parts[1].trimmingCharacters(in: .whitespaces)
  }
}

/// Sets `context.identity` from the bearer token, or answers 401. Routes then
/// check their role with `context.requireRole(_:)` (403 when too low).
struct BearerAuthMiddleware: RouterMiddleware {
  typealias Context = APIRequestContext
  let authenticator: APIAuthenticator

  func handle(
    _ request: Request, context: APIRequestContext,
    next: (Request, APIRequestContext) async throws -> Response
  ) async throws -> Response {
    var context = context
    context.identity = try await authenticator.identity(forSecret: try APIAuthenticator.bearerSecret(request))
    return try await next(request, context)
  }
}

/// Gives every request the configured body limit before a route reads a body.
struct BodyLimitMiddleware: RouterMiddleware {
  typealias Context = APIRequestContext
  let maxBodyBytes: Int

  func handle(
    _ request: Request, context: APIRequestContext,
    next: (Request, APIRequestContext) async throws -> Response
  ) async throws -> Response {
    var context = context
    context.maxUploadSize = maxBodyBytes
    // A declared length over the limit is refused before a byte of it is read.
    if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodyBytes {
      throw APIProblem(
        status: .contentTooLarge, title: "Content Too Large",
        detail: "the request body has \(length) bytes; this server accepts at most \(maxBodyBytes)")
    }
    return try await next(request, context)
  }
}
