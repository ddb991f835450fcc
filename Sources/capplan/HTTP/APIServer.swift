import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import JobQueue
import Logging
import NIOCore

/// A set of routes the server mounts. Each part of the server (the JSON API,
/// health checks, the OpenAPI document; later the console and the metrics)
/// is one type conforming to this, listed in `APIServer.routeGroups`.
///
/// To add a part: write `enum MyRoutes: RouteGroupProvider` in a file of its
/// own under Sources/capplan/HTTP/, register its routes on `router` in
/// `addRoutes` (give it its own group, e.g. `router.group("console")`, with its
/// own middleware), and add `MyRoutes.self` to `APIServer.routeGroups`.
/// Routes that need a store call run it through `server.threads.run { ... }`;
/// routes that need a signed-in user check a secret with `server.authenticator`
/// and a role with `context.requireRole(_:)`.
protocol RouteGroupProvider {
  static func addRoutes(to router: Router<APIRequestContext>, server: APIServer)
}

/// The HTTP side of `capplan serve --http`: what every route needs, and the
/// router built from the route groups.
struct APIServer: Sendable {
  /// Bodies above this are refused with 413 unless `serve --max-body-mb` says otherwise.
  static let defaultMaxBodyBytes = 16 * 1024 * 1024

  /// The parts of the server, mounted in this order. Add new parts here (see `RouteGroupProvider`).
  static var routeGroups: [any RouteGroupProvider.Type] {
    [
      HealthRoutes.self,
      OpenAPIRoutes.self,
      JobRoutes.self,
      PlanRoutes.self,
      ScheduleRoutes.self,
      MetricsRoutes.self,
      ConsoleRoutes.self,
    ]
  }

  let store: any PlanDatabase
  let threads: StoreThreads
  let maxBodyBytes: Int
  /// `/metrics` answers without a token: set when the server listens on loopback only.
  var metricsWithoutToken = false
  /// How long an accepted token secret is trusted without asking the store again
  /// (`TokenIdentityCache`): how long a revoked token can still be used.
  static let defaultTokenCacheLifetime = Duration.seconds(2)
  let tokenCache: TokenIdentityCache
  var authenticator: APIAuthenticator { APIAuthenticator(store: store, threads: threads, cache: tokenCache) }

  /// A connection that sends nothing for this long (idle between requests, or stalled inside
  /// one: half a header, a body short of its length) is closed, so slow clients cannot hold
  /// every socket the server has.
  static let defaultIdleTimeout = TimeAmount.seconds(30)
  let idleTimeout: TimeAmount

  init(
    store: any PlanDatabase, threads: StoreThreads, maxBodyBytes: Int = APIServer.defaultMaxBodyBytes,
    tokenCacheLifetime: Duration = APIServer.defaultTokenCacheLifetime,
    idleTimeout: TimeAmount = APIServer.defaultIdleTimeout
  ) {
    self.store = store
    self.threads = threads
    self.maxBodyBytes = maxBodyBytes
    self.tokenCache = TokenIdentityCache(lifetime: tokenCacheLifetime)
    self.idleTimeout = idleTimeout
  }

  /// The router with every route group mounted, and the middleware every request passes:
  /// errors as problem+json, then the body limit.
  func makeRouter() -> Router<APIRequestContext> {
    let router = Router(context: APIRequestContext.self)
    router.add(middleware: ProblemMiddleware<APIRequestContext>())
    router.add(middleware: MethodNotAllowedMiddleware(routes: routeTable()))
    router.add(middleware: BodyLimitMiddleware(maxBodyBytes: maxBodyBytes))
    router.add(middleware: DocumentedQueryParametersMiddleware())
    for group in Self.routeGroups { group.addRoutes(to: router, server: self) }
    return router
  }

  /// Every route's path ("{name}" for a parameter, as in openapi.yaml) and method, read off a router built for
  /// the purpose: what 405 answers, and what the tests hold against openapi.yaml.
  func routeTable() -> [(path: String, method: String)] {
    let scratch = Router(context: APIRequestContext.self)
    for group in Self.routeGroups { group.addRoutes(to: scratch, server: self) }
    return scratch.routes.map { ("\($0.path)", $0.method.rawValue) }
  }

  /// The `/v1` group: every route in it needs a valid bearer token.
  func apiGroup(_ router: Router<APIRequestContext>) -> RouterGroup<APIRequestContext> {
    router.group("v1").add(middleware: BearerAuthMiddleware(authenticator: authenticator))
  }

  /// Runs a store call on the store threads.
  func store<T: Sendable>(_ body: @escaping @Sendable (any PlanDatabase) throws -> T) async throws -> T {
    let store = self.store
    return try await threads.run { try body(store) }
  }

  /// The Hummingbird application, a `Service` for the process's service group.
  /// `onListening` gets the bound address (the port is the real one when 0 was asked for).
  func makeApplication(
    host: String, port: Int, logger: Logger, onListening: @escaping @Sendable (String) -> Void
  ) -> some ApplicationProtocol {
    Application(
      router: HeadAsGet(router: makeRouter()),
      server: .http1(configuration: HTTP1Channel.Configuration(idleTimeout: idleTimeout)),
      configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "capplan"),
      onServerRunning: { channel in
        if let address = channel.localAddress { onListening(HTTPAddress.url(of: address)) }
      },
      logger: logger)
  }
}

/// JSON bodies: the same encoding as the CLI's `--format json` (sorted keys,
/// ISO 8601 dates, infinities as strings), compact.
enum APIJSON {
  static func encoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return encoder
  }

  static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
    let data = try encoder().encode(value)
    return Response(
      status: status, headers: [.contentType: "application/json"],
      body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }

  static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(
      status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
  }

  static func payload(_ payload: APIPayload) -> Response {
    var headers: HTTPFields = [.contentType: payload.contentType]
    if let name = payload.filename { headers[.contentDisposition] = "attachment; filename=\"\(name)\"" }
    return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: payload.data)))
  }
}

/// A body made on the store threads (a report, an export), with its media type.
struct APIPayload: Sendable {
  var data: Data
  var contentType: String
  /// Set for a download: the Content-Disposition file name.
  var filename: String? = nil

  init(_ text: String, contentType: String, filename: String? = nil) {
    data = Data(text.utf8)
    self.contentType = contentType
    self.filename = filename
  }

  init(data: Data, contentType: String, filename: String? = nil) {
    self.data = data
    self.contentType = contentType
    self.filename = filename
  }
}

/// Answers 405 with an Allow header where the router found no route but the
/// path is one it serves with other methods (Hummingbird's router says 404).
struct MethodNotAllowedMiddleware: RouterMiddleware {
  typealias Context = APIRequestContext
  /// Each route's path split into segments ("{name}" matches any) and its method.
  let routes: [(segments: [Substring], method: String)]

  init(routes: [(path: String, method: String)]) {
    self.routes = routes.map { ($0.path.split(separator: "/"), $0.method) }
  }

  func handle(
    _ request: Request, context: APIRequestContext,
    next: (Request, APIRequestContext) async throws -> Response
  ) async throws -> Response {
    do {
      return try await next(request, context)
    } catch let error as HTTPError where error.status == .notFound {
      let path = request.uri.path.split(separator: "/")
      let allowed = routes.filter { route in
        route.segments.count == path.count
          && zip(route.segments, path).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
      }.map(\.method)
      guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { throw error }
      throw APIProblem(
        status: .methodNotAllowed, title: "Method Not Allowed",
        detail:
          "\(request.method) is not served at \(request.uri.path); use \(allowed.joined(separator: ", "))",
        headers: [.allow: allowed.joined(separator: ", ")])
    }
  }
}

/// HEAD wherever GET is served (RFC 9110; load balancers probe /healthz with it): the request is
/// routed as its GET and answered with its status and headers, without the body. It wraps the
/// router, because a middleware runs after the route is chosen (by method, so HEAD found none).
struct HeadAsGet<Builder: HTTPResponderBuilder>: HTTPResponderBuilder
where Builder.Responder.Context: RequestContext {
  let router: Builder

  struct Responder: HTTPResponder {
    let inner: Builder.Responder

    func respond(to request: Request, context: Builder.Responder.Context) async throws -> Response {
      guard request.method == .head else { return try await inner.respond(to: request, context: context) }
      var head = request.head
      head.method = .get
      let get = Request(head: head, body: request.body)
      var response: Response
      do {
        response = try await inner.respond(to: get, context: context)
      } catch let error as any HTTPResponseError {
        response = try error.response(from: get, context: context)
      }
      response.body = ResponseBody()
      return response
    }
  }

  func buildResponder() -> Responder { Responder(inner: router.buildResponder()) }
}
