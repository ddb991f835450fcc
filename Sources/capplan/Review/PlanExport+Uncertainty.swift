import CapacityModel

/// A two-stage plan's demand cases as files: each case's EBIT with EVPI's and VSS's parts, and
/// each case's allocations (the plan's own allocations are the expected MW).
extension PlanExport {
  var uncertaintySheets: [Sheet] {
    guard let u = plan.uncertainty else { return [] }
    var cases = Sheet(
      name: "demand_cases",
      columns: [
        "case", "probability_fraction", "revenue_musd", "ebit_musd", "alone_ebit_musd",
        "expected_demand_plan_ebit_musd",
      ])
    for c in u.cases {
      cases.rows.append([
        .text(c.id), .number(c.probability), .number(c.revenue), .number(c.ebit), .number(c.aloneEbit),
        .number(c.expectedDemandPlanEbit),
      ])
    }
    var values = Sheet(name: "demand_case_values", columns: ["figure", "value"])
    let figures: [(String, Double?)] = [
      ("expected_ebit_musd", u.expectedEbit), ("cvar_musd", u.cvar), ("cvar_alpha_fraction", u.cvarAlpha),
      ("risk_weight_fraction", u.riskWeight), ("wait_and_see_ebit_musd", u.waitAndSeeEbit),
      ("evpi_musd", u.evpi), ("expected_demand_plan_ebit_musd", u.expectedDemandPlanEbit),
      ("vss_musd", u.vss),
    ]
    for (name, value) in figures { values.rows.append([.text(name), .number(value)]) }
    var allocations = Sheet(
      name: "demand_case_allocations", columns: ["case", "offering", "hardware", "site", "period", "it_mw"])
    for c in u.cases {
      for a in c.allocations {
        allocations.rows.append([
          .text(c.id), .text(a.offering), .text(a.hardware), .text(a.site), .text(a.period), .number(a.mw),
        ])
      }
    }
    return [cases, values, allocations]
  }
}
