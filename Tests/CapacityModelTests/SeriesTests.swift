import Foundation
import Testing

@testable import CapacityModel

@Test func constantSeriesIsTheSameEverywhere() {
  #expect(Series.constant(3).values(over: ["a", "b"]) == [3, 3])
}
