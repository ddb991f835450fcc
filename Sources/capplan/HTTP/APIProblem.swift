import CapacityModel
import Foundation
import HTTPTypes
import Hummingbird
import JobQueue
import NIOCore
import NIOHTTP1

/// An error as `application/problem+json` (RFC 9457): `type`, `title`,
/// `status`, `detail`, and for an invalid scenario an `errors` array with each
/// error's field path and line. `detail` is the message the CLI prints for the
/// same failure.
struct APIProblem: Error, HTTPResponseError, Sendable {
  struct FieldError: Codable, Sendable, Equatable {
    var path: String
    var line: Int?
    var message: String
  }

  var status: HTTPResponse.Status
  var title: String
  var detail: String
  var errors: [FieldError]? = nil
  /// Extra headers (WWW-Authenticate on a 401).
  var headers: HTTPFields = [:]

  /// The `type` member: a relative URI naming the kind of problem, documented in docs/http-api.md.
  var type: String { "/problems/" + title.lowercased().replacingOccurrences(of: " ", with: "-") }

  static let mediaType = "application/problem+json"

  static func unauthorized(_ detail: String) -> APIProblem {
    APIProblem(
      status: .unauthorized, title: "Unauthorized", detail: detail,
      headers: [.wwwAuthenticate: "Bearer realm=\"capplan\""])
  }

  static func badRequest(_ detail: String) -> APIProblem {
    APIProblem(status: .badRequest, title: "Bad Request", detail: detail)
  }

  static func notFound(_ detail: String) -> APIProblem {
    APIProblem(status: .notFound, title: "Not Found", detail: detail)
  }

  /// The body (keys sorted, like every JSON answer).
  struct Body: Codable {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var errors: [FieldError]?
  }

  func response(from request: Request, context: some RequestContext) throws -> Response {
    var fields = headers
    fields[.contentType] = Self.mediaType
    let body = Body(type: type, title: title, status: Int(status.code), detail: detail, errors: errors)
    let data = try APIJSON.encoder().encode(body)
    return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }
}

extension APIProblem {
  /// A store failure, with the status its kind means to a client.
  init(_ error: StoreError) {
    let (status, title) = Self.status(of: error.kind)
    self.init(status: .init(code: status), title: title, detail: error.message)
  }

  /// The HTTP status a store failure's kind means, and its title: one table for the API and
  /// the console's pages.
  static func status(of kind: StoreError.Kind) -> (Int, String) {
    switch kind {
    case .notFound: (404, "Not Found")
    case .invalid: (400, "Bad Request")
    case .conflict: (409, "Conflict")
    case .database: (503, "Store Unavailable")
    }
  }

  /// A command's failure (the messages the CLI prints): invalid input is the client's fault.
  init(_ failure: CommandFailure) {
    switch failure.outcome {
    case .invalidInput: self.init(status: .badRequest, title: "Bad Request", detail: failure.message)
    default: self.init(status: .internalServerError, title: "Internal Server Error", detail: failure.message)
    }
  }
}

/// Turns every error a route or Hummingbird throws into problem+json, so a
/// client parses one error shape: a missing route's 404 and an oversized
/// body's 413 included.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
    async throws -> Response
  {
    do {
      return try await next(request, context)
    } catch let problem as APIProblem {
      throw problem
    } catch let error as StoreError {
      throw APIProblem(error)
    } catch let failure as CommandFailure {
      throw APIProblem(failure)
    } catch is NIOTooManyBytesError {
      throw APIProblem(
        status: .contentTooLarge, title: "Content Too Large",
        detail: "the request body is larger than this server accepts (\(context.maxUploadSize) bytes)")
    } catch let error as HTTPParserError {
      // A body the client framed wrongly (a bad chunk size, an unknown transfer coding) is its
      // mistake, found only as the route reads the body.
      throw APIProblem.badRequest("the request is malformed: \(error)")
    } catch let error as HTTPError {
      throw APIProblem(
        status: error.status, title: error.status.reasonPhrase,
        detail: error.body ?? "\(request.method) \(request.uri.path): \(error.status.reasonPhrase)")
    } catch let error as any HTTPResponseError {
      throw APIProblem(status: error.status, title: error.status.reasonPhrase, detail: "\(error)")
    } catch {
      context.logger.error("request failed: \(error)")
      throw APIProblem(status: .internalServerError, title: "Internal Server Error", detail: "\(error)")
    }
  }
}
