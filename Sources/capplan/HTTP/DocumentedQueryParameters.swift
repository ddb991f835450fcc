import Hummingbird
import Yams

/// The query parameters openapi.yaml gives each operation, read from the served document, so a
/// parameter the document does not name is refused instead of ignored: `time_limt=600` would
/// otherwise queue a job without the limit its caller asked for.
enum DocumentedQueryParameters {
  /// "POST /v1/jobs" to its parameter names; operations the document lacks are absent.
  static let table: [String: Set<String>] = read(OpenAPIDocument.yaml)

  static func read(_ yaml: String) -> [String: Set<String>] {
    guard let document = (try? Yams.load(yaml: yaml)) as? [String: Any],
      let paths = document["paths"] as? [String: Any]
    else { return [:] }
    let components = (document["components"] as? [String: Any])?["parameters"] as? [String: Any] ?? [:]
    func resolved(_ parameter: [String: Any]) -> [String: Any] {
      guard let ref = parameter["$ref"] as? String else { return parameter }
      return components[String(ref.split(separator: "/").last ?? "")] as? [String: Any] ?? [:]
    }
    var table: [String: Set<String>] = [:]
    for (path, entry) in paths {
      guard let item = entry as? [String: Any] else { continue }
      let shared = item["parameters"] as? [[String: Any]] ?? []
      for (method, value) in item where ["get", "post", "put", "patch", "delete"].contains(method) {
        let own = (value as? [String: Any])?["parameters"] as? [[String: Any]] ?? []
        table["\(method.uppercased()) \(path)"] = Set(
          (shared + own).map(resolved).filter { $0["in"] as? String == "query" }.compactMap {
            $0["name"] as? String
          })
      }
    }
    return table
  }
}

/// Refuses a query parameter the route's operation in openapi.yaml does not take, naming the ones
/// it does. Routes outside the document (the console) are left alone.
struct DocumentedQueryParametersMiddleware: RouterMiddleware {
  typealias Context = APIRequestContext

  func handle(
    _ request: Request, context: APIRequestContext,
    next: (Request, APIRequestContext) async throws -> Response
  ) async throws -> Response {
    if let path = context.endpointPath,
      let known = DocumentedQueryParameters.table["\(request.method) \(path)"]
    {
      let unknown = Set(request.uri.queryParameters.map { String($0.key) }).subtracting(known).sorted()
      if !unknown.isEmpty {
        let takes =
          known.isEmpty ? "takes no query parameters" : "takes: \(known.sorted().joined(separator: ", "))"
        throw APIProblem.badRequest(
          "unknown query parameter\(unknown.count == 1 ? "" : "s") \(unknown.map { "'\($0)'" }.joined(separator: ", ")); \(request.method) \(path) \(takes)"
        )
      }
    }
    return try await next(request, context)
  }
}
