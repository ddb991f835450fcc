import Hummingbird
import JobQueue

/// `/healthz` and `/readyz`, without a token: load balancers and orchestrators ask them.
enum HealthRoutes: RouteGroupProvider {
  struct Health: Codable {
    var status: String
  }

  static func addRoutes(to router: Router<APIRequestContext>, server: APIServer) {
    // Alive: the process answers. Nothing else is looked at, so a slow store does not get it restarted.
    router.get("healthz") { _, _ in try APIJSON.response(Health(status: "ok")) }
    // Ready: the store answers and has every migration this binary expects.
    router.get("readyz") { _, context in
      // No store location in these answers: they need no token, and a path or host is the operator's business.
      let states: [MigrationState]
      do {
        states = try await server.store { db throws(StoreError) in try db.migrationStates() }
      } catch let error as StoreError {
        context.logger.warning("readyz: \(error)")
        throw APIProblem(
          status: .serviceUnavailable, title: "Not Ready",
          detail: "the store is not reachable (the server log has why)")
      }
      let pending = states.filter { !$0.applied }.map(\.name)
      guard pending.isEmpty else {
        throw APIProblem(
          status: .serviceUnavailable, title: "Not Ready",
          detail: "the store lacks migrations: \(pending.joined(separator: ", ")); run capplan migrate")
      }
      return try APIJSON.response(Health(status: "ready"))
    }
  }
}
