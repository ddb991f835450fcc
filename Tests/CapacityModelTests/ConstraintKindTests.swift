import Foundation
import Testing

@testable import CapacityModel

@Suite struct ConstraintKindTests {
  /// Every kind is stored as its raw value and read back as itself.
  @Test(arguments: ConstraintKey.Kind.allCases) func kindsRoundTripThroughJSON(_ kind: ConstraintKey.Kind)
    throws
  {
    let data = try JSONEncoder().encode([kind])
    #expect(String(decoding: data, as: UTF8.self) == "[\"\(kind.rawValue)\"]")
    #expect(try JSONDecoder().decode([ConstraintKey.Kind].self, from: data) == [kind])
    #expect("\(kind)" == kind.rawValue, "printed as stored")
  }

  /// Plans stored before the kinds were typed named a supply shortfall supply_mw.
  @Test func aStoredSupplyMWShortfallReadsAsSupply() throws {
    let json =
      #"{"kind":"supply_mw","subject":"trn","period":"q1","amount":3,"unit":"MW","limit":2,"text":"t"}"#
    let s = try JSONDecoder().decode(Plan.Shortfall.self, from: Data(json.utf8))
    #expect(s.kind == .supply)
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode([ConstraintKey.Kind].self, from: Data(#"["voltage"]"#.utf8))
    }
  }

  @Test func eachRowKeyNamesItsKind() {
    #expect(ConstraintKey.power(site: 0, period: 1).kind == .power)
    #expect(ConstraintKey.supply(hardware: 0, period: 1).kind == .supply)
    #expect(ConstraintKey.committed(offering: 0, period: 1).kind.rawValue == "committed_mw")
    #expect(
      ConstraintKey.demandGrossRevenue(offering: 0, period: 1).kind.describe("claude")
        == "gross revenue demand of claude")
  }
}
