import LinearProgramming

extension Formulation {
  /// Splits each tiered offering's gross revenue rate G[o,t] into bands and
  /// pays each band's share. Where a later band's share is higher, the LP would
  /// fill that band first, so binaries force the order over the whole chain:
  /// band k+1 may hold something only once band k is full.
  mutating func addTiers() {
    for (o, offering) in scenario.offerings.enumerated() {
      guard let tiers = offering.tiers, !tiers.isEmpty else { continue }
      let ordered = !offering.tierSharesNeverRise
      for t in 0..<periodCount {
        let gross = grossRevenue(offering: o, period: t)
        guard !gross.terms.isEmpty else { continue }
        var lowerEdge = 0.0
        var bands: [(v: Variable, width: Double)] = []
        var split = LinearExpression()
        for (k, tier) in tiers.enumerated() {
          let width = tier.upTo.map { $0 - lowerEdge } ?? .infinity
          let g = column(.tierBand(offering: o, period: t, band: k), upper: width)
          addObjective(g, flowWeight(t) * tier.share, into: &model)
          split.add(1, g)
          bands.append((g, width))
          lowerEdge = tier.upTo ?? lowerEdge
        }
        row(.tierSplit(offering: o, period: t), split - gross, lower: 0, upper: 0)
        guard ordered else { continue }
        let ceiling = grossCeiling(offering: o, period: t)
        for k in 0..<(bands.count - 1) {
          let full = column(.tierFull(offering: o, period: t, band: k), kind: .binary)
          row(
            .tierFull(offering: o, period: t, band: k), bands[k].v - bands[k].width * full, lower: 0,
            upper: .infinity)
          let next = bands[k + 1].width.isFinite ? bands[k + 1].width : max(ceiling - lowerEdge, 0)
          row(
            .tierFillOrder(offering: o, period: t, band: k), bands[k + 1].v - next * full,
            lower: -.infinity, upper: 0)
        }
      }
    }
  }

  /// An upper bound on G[o,t], for the unbounded last band's big-M: the demand
  /// cap, or the gross revenue of every MW the offering could possibly reach.
  func grossCeiling(offering o: Int, period t: Int) -> Double {
    let offering = scenario.offerings[o]
    var reachable = 0.0
    for serving in offering.servedBy where t >= serving.firstPeriod {
      let h = serving.hardware
      var mw = offering.sites.reduce(0.0) { $0 + scenario.sites[$1].installedMW[h] }
      mw += scenario.hardware[h].supplyMW[0...t].reduce(0, +)
      reachable += (serving.grossRevenuePerMWYear ?? 0) * mw
    }
    if let cap = offering.demandGrossRevenuePerYear?[t] { reachable = min(reachable, cap) }
    return reachable
  }
}

extension Formulation {
  /// `- move_cost * sum |x - x_prev|` over the periods the previous plan covers:
  /// x - up + down = x_prev with up, down >= 0 and each costing move_cost.
  mutating func addMoveCost(_ previous: PreviousAllocations, cost: Double) {
    let sc = scenario
    let covered = Set(previous.periods.compactMap { sc.periodIndex($0) })
    previousCovered = covered
    var matched = Set<PreviousAllocations.Entry>()
    for t in covered.sorted() {
      for (o, offering) in sc.offerings.enumerated() {
        for (h, s, x) in allocationsByOffering[o][t] {
          let entry = PreviousAllocations.Entry(
            offering: offering.id, hardware: sc.hardware[h].id, site: sc.sites[s].id, period: sc.periods[t].id
          )
          let before = previous.mw[entry] ?? 0
          if previous.mw[entry] != nil { matched.insert(entry) }
          let up = column(.moveUp(offering: o, hardware: h, site: s, period: t))
          let down = column(.moveDown(offering: o, hardware: h, site: s, period: t))
          addObjective(up, -cost * paymentWeight(t), into: &model)
          addObjective(down, -cost * paymentWeight(t), into: &model)
          row(
            .move(offering: o, hardware: h, site: s, period: t), x - up + down, lower: before, upper: before)
        }
      }
    }
    unmatchedPreviousMW = previous.mw.filter { !matched.contains($0.key) }.reduce(0) { $0 + abs($1.value) }
  }
}
