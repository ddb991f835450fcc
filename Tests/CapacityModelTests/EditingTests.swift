import Testing

@testable import CapacityModel

@Suite("Setting fields for sweeps")
struct EditingTests {
  let scenario: Scenario

  init() throws {
    scenario = try ScenarioLoader.parse(yaml: completedSpecExample, file: "aws.yaml").scenario
  }

  @Test func setsAHardwareMapEntryOfAnOffering() throws {
    let edited = try scenario.setting("offerings.claude.gross_revenue_per_mw_year.trainium2", to: 40)
    #expect(edited.offerings[0].grossRevenuePerMWYear?["trainium2"] == 40)
    #expect(edited.offerings[0].grossRevenuePerMWYear?.keys == ["trainium2", "gb200", "trainium3"])
    #expect(
      try ScenarioValidator.validate(edited).offerings[0].servedBy[0].unitRevenuePerMWYear == 7.5 + 0.25 * 40)
  }

  @Test func setsAWholeSeriesToAConstant() throws {
    let edited = try scenario.setting("sites.indiana.power_mw", to: 750)
    #expect(edited.sites[0].powerMW == .constant(750))
  }

  @Test func setsOnePeriodOfASeries() throws {
    let edited = try scenario.setting("sites.indiana.power_mw.2027Q1", to: 1500)
    // The constant 1000 now holds from the first period until 2027Q1.
    #expect(edited.sites[0].powerMW == ["2026Q3": 1000, "2027Q1": 1500])
    #expect(try ScenarioValidator.validate(edited).sites[0].powerMW == [1000, 1000, 1500])
    let again = try edited.setting("sites.indiana.power_mw.2026Q4", to: 1200)
    #expect(try ScenarioValidator.validate(again).sites[0].powerMW == [1000, 1200, 1500])
  }

  @Test func setsAnAbsentSeriesPeriodFromThatPeriodOn() throws {
    let edited = try scenario.setting("hardware.gb200.supply_mw.2026Q4", to: 20)
    #expect(try ScenarioValidator.validate(edited).hardware[3].supplyMW == [0, 20, 20])
  }

  @Test func setsScalarsEverywhere() throws {
    var edited = try scenario.setting("hardware.trainium2.opex_per_mw_year", to: 7)
    edited = try edited.setting("periods.2026Q3.years", to: 0.5)
    edited = try edited.setting("offerings.claude.revenue_share", to: 0.3)
    edited = try edited.setting("stability.move_cost", to: 0.5)
    edited = try edited.setting("policies.trn-majority.share", to: 0.6)
    edited = try edited.setting("sites.indiana.pue", to: 1.3)
    edited = try edited.setting("sites.indiana.installed_mw.gb200", to: 12)
    edited = try edited.setting("sites.indiana.expansions.indiana-p3.cost_per_year", to: 50)
    edited = try edited.setting("companions.trainium3.graviton4.mw_per_mw", to: 0.1)
    #expect(edited.hardware[0].opexPerMWYear == 7)
    #expect(edited.periods[0].years == 0.5)
    #expect(edited.offerings[0].revenueShare == 0.3)
    #expect(edited.stability?.moveCost == 0.5)
    #expect(edited.policies?[0].share == 0.6)
    #expect(edited.sites[0].pue == 1.3)
    #expect(edited.sites[0].installedMW?["gb200"] == 12)
    #expect(edited.sites[0].expansions?[0].costPerYear == 50)
    #expect(edited.companions?[0].mwPerMW == 0.1)
    #expect(scenario.hardware[0].opexPerMWYear == 6.5, "the original is untouched")
  }

  @Test func idsWithDotsAreMatchedWhole() throws {
    let dotted = try scenario.setting("offerings.claude.gross_revenue_per_mw_year.trainium2", to: 26)
    var renamed = dotted
    renamed.sites[0].id = "us.indiana"
    let edited = try renamed.setting("sites.us.indiana.power_mw.2026Q4", to: 5)
    #expect(edited.sites[0].powerMW == ["2026Q3": 1000, "2026Q4": 5])
  }

  @Test func anUnknownIdListsWhatExists() {
    let error = #expect(throws: ScenarioEditError.self) { try scenario.setting("sites.ohio.power_mw", to: 1) }
    #expect(
      error?.description == "cannot set 'sites.ohio.power_mw': no site 'ohio' at sites (there is: indiana)")
  }

  @Test func anUnknownFieldListsTheFields() {
    let error = #expect(throws: ScenarioEditError.self) {
      try scenario.setting("hardware.trainium2.opex", to: 1)
    }
    #expect(
      error?.message
        == "no field 'opex' at hardware.trainium2 (fields: opex_per_mw_year, capex_per_mw, life_years, install_block_mw, supply_mw)"
    )
  }

  @Test func anUnknownTopLevelListsTheSections() {
    let error = #expect(throws: ScenarioEditError.self) {
      try scenario.setting("offering.claude.revenue_share", to: 1)
    }
    #expect(
      error?.message
        == "no field 'offering' at the top level (fields: periods, hardware, companions, sites, offerings, policies, stability, finance, uncertainty)"
    )
  }

  @Test func aMapEntryThatIsNotThereIsNotAdded() {
    let error = #expect(throws: ScenarioEditError.self) {
      try scenario.setting("offerings.gpu-rental.price_per_mw_year.trainium2", to: 9)
    }
    #expect(
      error?.message
        == "no entry 'trainium2' in offerings.gpu-rental.price_per_mw_year (entries: gb200); "
        + "a sweep changes figures, not which hardware can serve")
  }

  @Test func aPathThatStopsShortOrGoesTooFarIsExplained() {
    let short = #expect(throws: ScenarioEditError.self) { try scenario.setting("periods.2026Q3", to: 1) }
    #expect(short?.message == "periods.2026Q3 has fields, not a value; add one of: years")
    let long = #expect(throws: ScenarioEditError.self) { try scenario.setting("sites.indiana.pue.x", to: 1) }
    #expect(long?.message == "sites.indiana.pue is a single number; 'x' names nothing inside it")
    let period = #expect(throws: ScenarioEditError.self) {
      try scenario.setting("sites.indiana.power_mw.2030Q1", to: 1)
    }
    #expect(
      period?.message == "no period '2030Q1' at sites.indiana.power_mw (there is: 2026Q3, 2026Q4, 2027Q1)")
  }

  @Test func tierBandsAreCountedFromZero() throws {
    var tiered = scenario
    tiered.offerings[0].revenueShare = nil
    tiered.offerings[0].tiers = [Tier(upTo: 1000, share: 0.25), Tier(share: 0.3)]
    let edited = try tiered.setting("offerings.claude.tiers.1.share", to: 0.2)
    #expect(edited.offerings[0].tiers == [Tier(upTo: 1000, share: 0.25), Tier(share: 0.2)])
  }
}
