import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import capplan

/// `GET /v1/plans/{id}/export` in each format carries the plan's tables, as `capplan plans
/// export` writes them: the seed plan's EBIT of 7.5 $M is in every one.
@Suite struct HTTPExportTests {
  @Test func everyFormatCarriesThePlansTables() async throws {
    let fixture = try HTTPAPITests.Fixture()
    let app = Application(router: fixture.server().makeRouter())
    try await app.test(.router) { client in
      func get(_ format: String) async throws -> (TestResponse, Data) {
        let r = try await client.execute(
          uri: "/v1/plans/1/export?format=\(format)", method: .get, headers: fixture.headers(.read))
        #expect(r.status == .ok, "\(format): \(String(buffer: r.body))")
        return (r, Data(buffer: r.body))
      }
      let (zip, zipData) = try await get("csv")
      #expect(zip.headers[.contentType] == "application/zip")
      #expect(zip.headers[.contentDisposition]?.contains("plan-1-csv.zip") == true)
      #expect(zipData.starts(with: Data("PK".utf8)))
      let zipText = String(decoding: zipData, as: UTF8.self)
      for name in ["plan.json", "summary.csv", "installs.csv", "revenue.csv"] {
        #expect(zipText.contains(name), "the zip has \(name)")
      }

      let (xlsx, workbook) = try await get("xlsx")
      #expect(xlsx.headers[.contentDisposition]?.contains("plan-1.xlsx") == true)
      #expect(workbook.starts(with: Data("PK".utf8)) && workbook.count > 1000, "\(workbook.count) bytes")
      #expect(String(decoding: workbook, as: UTF8.self).contains("xl/workbook.xml"))

      let (_, markdown) = try await get("markdown")
      let text = String(decoding: markdown, as: UTF8.self)
      #expect(text.contains("summary") && text.contains("| ebit"), "\(text.prefix(400))")
      #expect(!text.contains("\"scenario\""), "markdown carries tables, not plan.json")

      let (json, document) = try await get("json")
      #expect(json.headers[.contentType] == "application/json")
      let object = try #require(try JSONSerialization.jsonObject(with: document) as? [String: Any])
      #expect(Set(object.keys).isSuperset(of: ["plan", "summary", "installs", "revenue"]))
      let plan = try #require(object["plan"] as? [String: Any])
      let totals = try #require(plan["totals"] as? [String: Any])
      #expect(totals["ebit"] as? Double == 7.5)
    }
  }
}
