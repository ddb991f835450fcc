import Hummingbird

/// `/openapi.yaml`, without a token: the committed openapi.yaml, compiled in
/// (`OpenAPIDocument`, made by scripts/openapi-swift), so the server describes
/// exactly the API it was built with.
enum OpenAPIRoutes: RouteGroupProvider {
  static func addRoutes(to router: Router<APIRequestContext>, server: APIServer) {
    router.get("openapi.yaml") { _, _ in
      APIJSON.text(OpenAPIDocument.yaml, contentType: "application/yaml")
    }
  }
}
