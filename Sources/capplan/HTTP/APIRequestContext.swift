import Hummingbird
import JobQueue

/// Who made a request: the token that `APIAuthenticator` checked.
struct APIIdentity: Sendable, Equatable {
  var tokenID: Int64
  var name: String
  var role: APIRole

  init(_ token: APIToken) {
    tokenID = token.id
    name = token.name
    role = token.role
  }
}

/// The request context of every route the server has: Hummingbird's own
/// storage, the identity once a request is authenticated, and the body limit
/// `serve --max-body-mb` set (`BodyLimitMiddleware` writes it before any route runs).
struct APIRequestContext: RequestContext {
  var coreContext: CoreRequestContextStorage
  /// Nil until an authenticating middleware found a valid token.
  var identity: APIIdentity?
  /// Read by Hummingbird's `collectBody`/`decode`, and by the routes that collect bodies themselves.
  var maxUploadSize: Int = APIServer.defaultMaxBodyBytes

  init(source: Source) {
    coreContext = .init(source: source)
  }

  /// The identity, or 401 when the request has none (a route outside an authenticated group).
  @discardableResult
  func requireRole(_ role: APIRole) throws(APIProblem) -> APIIdentity {
    guard let identity else { throw APIProblem.unauthorized("this route needs an API token") }
    guard identity.role >= role else {
      throw APIProblem(
        status: .forbidden, title: "Forbidden",
        detail:
          "token '\(identity.name)' has role \(identity.role.rawValue); this needs \(role.rawValue) or higher"
      )
    }
    return identity
  }
}
