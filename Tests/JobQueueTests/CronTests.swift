import Foundation
import JobQueue
import Testing

@Suite struct CronTests {
  let utc = TimeZone(identifier: "UTC") ?? .gmt
  let newYork = TimeZone(identifier: "America/New_York") ?? .gmt

  /// Test dates are literals in this file; a typo shows as the epoch.
  func date(_ iso: String) -> Date {
    ISO8601DateFormatter().date(from: iso) ?? Date(timeIntervalSince1970: 0)
  }

  func fires(_ expr: String, from: String, count: Int, in zone: TimeZone? = nil) throws -> [String] {
    let cron = try CronExpression(expr)
    var out: [String] = []
    var t = date(from)
    let f = ISO8601DateFormatter()
    for _ in 0..<count {
      guard let next = cron.next(after: t, in: zone ?? utc) else { break }
      out.append(f.string(from: next))
      t = next
    }
    return out
  }

  @Test func fieldsRangesStepsListsAndNames() throws {
    #expect(
      try fires("*/15 9-10 * * *", from: "2026-11-26T09:50:00Z", count: 4) == [
        "2026-11-26T10:00:00Z", "2026-11-26T10:15:00Z", "2026-11-26T10:30:00Z", "2026-11-26T10:45:00Z",
      ])
    #expect(
      try fires("0 6 * * MON,fri", from: "2026-11-26T00:00:00Z", count: 3) == [
        "2026-11-27T06:00:00Z", "2026-11-30T06:00:00Z", "2026-12-04T06:00:00Z",
      ])
    #expect(
      try fires("30 12 1 JAN-MAR/2 *", from: "2026-11-26T00:00:00Z", count: 2) == [
        "2027-01-01T12:30:00Z", "2027-03-01T12:30:00Z",
      ])
    #expect(try fires("@daily", from: "2026-11-26T00:00:00Z", count: 1) == ["2026-11-27T00:00:00Z"])
    // 7 is Sunday as well as 0.
    #expect(try fires("0 0 * * 7", from: "2026-11-26T00:00:00Z", count: 1) == ["2026-11-29T00:00:00Z"])
  }

  @Test func dayOfMonthOrDayOfWeekWhenBothAreSet() throws {
    // The 1st of the month or any Monday.
    #expect(
      try fires("0 0 1 * MON", from: "2026-11-26T00:00:00Z", count: 3) == [
        "2026-11-30T00:00:00Z", "2026-12-01T00:00:00Z", "2026-12-07T00:00:00Z",
      ])
  }

  @Test func monthEndsSkipShortMonths() throws {
    #expect(
      try fires("0 0 31 * *", from: "2026-11-26T00:00:00Z", count: 4) == [
        "2026-12-31T00:00:00Z", "2027-01-31T00:00:00Z", "2027-03-31T00:00:00Z", "2027-05-31T00:00:00Z",
      ])
    #expect(try fires("0 0 30 * *", from: "2027-01-30T00:00:00Z", count: 1) == ["2027-03-30T00:00:00Z"])
  }

  @Test func february29thWaitsForALeapYear() throws {
    #expect(
      try fires("0 12 29 2 *", from: "2026-11-26T00:00:00Z", count: 2) == [
        "2028-02-29T12:00:00Z", "2032-02-29T12:00:00Z",
      ])
  }

  @Test func timeZonesAndDaylightSavingChanges() throws {
    #expect(newYork.identifier == "America/New_York")
    // 06:00 in New York is 11:00 UTC in winter and 10:00 UTC in summer.
    #expect(
      try fires("0 6 * * *", from: "2026-03-07T00:00:00Z", count: 2, in: newYork) == [
        "2026-03-07T11:00:00Z", "2026-03-08T10:00:00Z",
      ])
    // 2026-03-08 02:30 does not exist in New York (02:00 -> 03:00): it fires once, at 03:30 EDT.
    #expect(
      try fires("30 2 * * *", from: "2026-03-07T12:00:00Z", count: 3, in: newYork) == [
        "2026-03-08T07:30:00Z", "2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z",
      ])
    // 2026-11-01 01:30 happens twice (01:00 -> 01:00 EST again): it fires once, the first time.
    #expect(
      try fires("30 1 * * *", from: "2026-10-31T12:00:00Z", count: 3, in: newYork) == [
        "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z", "2026-11-03T06:30:00Z",
      ])
    // An hourly schedule across the fall-back hour fires once per distinct instant.
    // 01:00 EDT (05:00Z) fires; the repeated 01:00 EST (06:00Z) does not; 02:00 EST is 07:00Z.
    let hourly = try fires("0 * * * *", from: "2026-11-01T04:30:00Z", count: 3, in: newYork)
    #expect(hourly == ["2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z", "2026-11-01T08:00:00Z"])
  }

  @Test func badExpressionsAreRefusedWithAReason() {
    for (expr, word) in [
      ("* * * *", "5"), ("61 * * * *", "minute"), ("* 24 * * *", "hour"), ("* * 0 * *", "day of month"),
      ("* * * 13 *", "month"), ("* * * * 8", "day of week"), ("*/0 * * * *", "step"),
      ("5-1 * * * *", "backwards"),
      ("0 0 31 2 *", "never"), ("0 0 * FOO *", "month"),
    ] {
      do {
        _ = try CronExpression(expr)
        Issue.record("accepted '\(expr)'")
      } catch {
        #expect(error.message.contains(word), "\(expr): \(error.message)")
      }
    }
  }

  @Test func intervals() {
    #expect(IntervalParser.seconds("30s") == 30)
    #expect(IntervalParser.seconds("15m") == 900)
    #expect(IntervalParser.seconds("1h30m") == 5400)
    #expect(IntervalParser.seconds("1d") == 86400)
    #expect(IntervalParser.seconds("0s") == nil)
    #expect(IntervalParser.seconds("5") == nil)
    #expect(IntervalParser.seconds("5x") == nil)
    let anchor = date("2026-11-26T00:00:00Z")
    let every = Cadence.interval(seconds: 3600, anchor: anchor)
    #expect(every.next(after: date("2026-11-26T05:30:00Z")) == date("2026-11-26T06:00:00Z"))
    #expect(every.next(after: date("2026-11-26T06:00:00Z")) == date("2026-11-26T07:00:00Z"))
  }
}
