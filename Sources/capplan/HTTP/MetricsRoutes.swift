import Hummingbird
import JobQueue

/// `GET /metrics`: the Prometheus exposition (`MetricsExposition`).
///
/// On a loopback-only server (`--http 127.0.0.1:...`) it needs no token: only
/// this machine can connect, and a scraper on it (or nginx, which must then
/// keep /metrics to itself; see Deploy/nginx-capplan.conf) reads counts, never
/// scenarios or plans. On an address other machines can reach it needs a token
/// with the read role, which Prometheus sends with `authorization: credentials`.
enum MetricsRoutes: RouteGroupProvider {
  static func addRoutes(to router: Router<APIRequestContext>, server: APIServer) {
    router.get("metrics") { request, context in
      if !server.metricsWithoutToken {
        var context = context
        context.identity = try await server.authenticator.identity(
          forSecret: try APIAuthenticator.bearerSecret(request))
        try context.requireRole(.read)
      }
      // One grouped count in the store: on the store threads, off the event loop.
      let store = server.store
      let text = try await server.threads.run { () throws(StoreError) in
        MetricsExposition.render(store: store)
      }
      return APIJSON.text(text, contentType: MetricsExposition.contentType)
    }
  }
}
