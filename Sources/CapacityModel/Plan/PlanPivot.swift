/// A plan's allocated IT MW summed into (row, column) cells per period, for
/// pivot tables and charts: offering x hardware, use x period, site x hardware.
///
/// Built in one pass with dictionaries (linear in the allocation rows), so a
/// plan with a hundred thousand rows pivots in milliseconds.
public struct AllocationPivot: Sendable {
  /// The plan's periods in order, then any that only allocations name.
  public let periods: [String]
  /// Row and column labels, sorted.
  public let rows: [String]
  public let columns: [String]
  /// Each period's length in years (0 where the plan does not say).
  public let years: [String: Double]

  struct Cell: Hashable {
    var period: Int32, row: Int32, column: Int32
  }
  struct Line: Hashable {
    var period: Int32, index: Int32
  }

  private let periodIndex: [String: Int32]
  private let rowIndex: [String: Int32]
  private let columnIndex: [String: Int32]
  private let cells: [Cell: Double]
  private let rowTotals: [Line: Double]
  private let columnTotals: [Line: Double]
  private let periodTotals: [Int32: Double]

  public init(_ plan: Plan, row: (Plan.Allocation) -> String, column: (Plan.Allocation) -> String) {
    var periods = plan.periods.map(\.id)
    var periodIndex: [String: Int32] = [:]
    for (i, p) in periods.enumerated() where periodIndex[p] == nil { periodIndex[p] = Int32(i) }
    var rowIndex: [String: Int32] = [:]
    var columnIndex: [String: Int32] = [:]
    var rowNames: [String] = []
    var columnNames: [String] = []
    var cells: [Cell: Double] = [:]
    var rowTotals: [Line: Double] = [:]
    var columnTotals: [Line: Double] = [:]
    var periodTotals: [Int32: Double] = [:]
    for a in plan.allocations {
      let p: Int32
      if let i = periodIndex[a.period] {
        p = i
      } else {
        p = Int32(periods.count)
        periods.append(a.period)
        periodIndex[a.period] = p
      }
      let rName = row(a)
      let r: Int32
      if let i = rowIndex[rName] {
        r = i
      } else {
        r = Int32(rowNames.count)
        rowNames.append(rName)
        rowIndex[rName] = r
      }
      let cName = column(a)
      let c: Int32
      if let i = columnIndex[cName] {
        c = i
      } else {
        c = Int32(columnNames.count)
        columnNames.append(cName)
        columnIndex[cName] = c
      }
      cells[Cell(period: p, row: r, column: c), default: 0] += a.mw
      rowTotals[Line(period: p, index: r), default: 0] += a.mw
      columnTotals[Line(period: p, index: c), default: 0] += a.mw
      periodTotals[p, default: 0] += a.mw
    }
    self.periods = periods
    self.rows = rowNames.sorted()
    self.columns = columnNames.sorted()
    self.years = Dictionary(plan.periods.map { ($0.id, $0.years) }, uniquingKeysWith: { x, _ in x })
    self.periodIndex = periodIndex
    self.rowIndex = rowIndex
    self.columnIndex = columnIndex
    self.cells = cells
    self.rowTotals = rowTotals
    self.columnTotals = columnTotals
    self.periodTotals = periodTotals
  }

  /// Offerings (rows) by hardware (columns).
  public static func offeringByHardware(_ plan: Plan) -> AllocationPivot {
    AllocationPivot(plan, row: \.offering, column: \.hardware)
  }

  /// Whether any allocation falls in this cell (a cell can hold 0 MW only if the plan stores 0).
  public func has(period: String, row: String, column: String) -> Bool {
    guard let p = periodIndex[period], let r = rowIndex[row], let c = columnIndex[column] else {
      return false
    }
    return cells[Cell(period: p, row: r, column: c)] != nil
  }

  /// IT MW in one cell of one period.
  public func mw(period: String, row: String, column: String) -> Double {
    guard let p = periodIndex[period], let r = rowIndex[row], let c = columnIndex[column] else { return 0 }
    return cells[Cell(period: p, row: r, column: c)] ?? 0
  }

  public func rowTotal(period: String, row: String) -> Double {
    guard let p = periodIndex[period], let r = rowIndex[row] else { return 0 }
    return rowTotals[Line(period: p, index: r)] ?? 0
  }

  public func columnTotal(period: String, column: String) -> Double {
    guard let p = periodIndex[period], let c = columnIndex[column] else { return 0 }
    return columnTotals[Line(period: p, index: c)] ?? 0
  }

  public func total(period: String) -> Double {
    guard let p = periodIndex[period] else { return 0 }
    return periodTotals[p] ?? 0
  }

  /// The horizon's length in years (the plan's periods).
  public var horizonYears: Double { periods.reduce(0) { $0 + (years[$1] ?? 0) } }

  /// IT MW averaged over the horizon, weighted by the periods' years.
  public func average(row: String, column: String) -> Double {
    let span = horizonYears
    guard span > 0 else { return 0 }
    return periods.reduce(0) { $0 + (years[$1] ?? 0) * mw(period: $1, row: row, column: column) } / span
  }

  public func averageRow(_ row: String) -> Double {
    let span = horizonYears
    guard span > 0 else { return 0 }
    return periods.reduce(0) { $0 + (years[$1] ?? 0) * rowTotal(period: $1, row: row) } / span
  }

  public func averageColumn(_ column: String) -> Double {
    let span = horizonYears
    guard span > 0 else { return 0 }
    return periods.reduce(0) { $0 + (years[$1] ?? 0) * columnTotal(period: $1, column: column) } / span
  }
}
