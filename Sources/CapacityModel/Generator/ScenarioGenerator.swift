import Foundation
import Yams

/// Generates scenarios of any size in the shape of `Models/aws-2026.yaml`, for benchmarks,
/// tests and anyone who wants a large valid scenario to try: N sites x T quarters x H kinds of
/// hardware x O offerings, the same scenario for the same arguments and seed on every machine
/// (its own random generator, no `SystemRandomNumberGenerator`, no hashing order).
///
/// What it makes, so the LP is not trivial:
/// - Hardware in this order (the first H): trainium2, gb200, graviton4, trainium3, gb300, then
///   `accel-6`, `accel-7`, ... (alternately Trainium-like and GPU-like). Trainium3 needs 0.08 MW of
///   graviton4 beside each MW when both are present. Fleet-wide `supply_mw` is a share of the
///   sites' total power each quarter (Trainium2 tapering, Trainium3 ramping, GB200 in the first
///   two quarters only), so supply binds in the quarters where power and demand leave room.
/// - Sites of 80-800 facility MW (log-uniform), PUE 1.08-1.35, Trainium-heavy, GPU-heavy or mixed,
///   filled to 72-97% of their power at the start; about half get a power step later. Power binds
///   at the fuller sites as capacity is added.
/// - Offerings in this order (the first O; past eight the list repeats as `lab-a-2`, ... on a
///   regional subset of sites): `lab-a` (revenue share on every accelerator), `gpu-rental`,
///   `first-party`, `internal-training` (a quarter of the sites), `lab-b` (GPU-native, Trainium
///   later), `trainium-rental`, `cpu-rental`, `lab-c` (newest hardware, 40% of the sites). Demand
///   caps are shares of the starting fleet's revenue or MW, growing each quarter, so some bind and
///   some do not. A Trainium `min_share` policy covers the `bedrock` offerings.
/// - Feasible by construction: every commitment (`committed_mw`, `required_mw`) is at most a
///   fifth of the MW already installed on hardware that may serve it, at sites that may serve it,
///   without companions, and power never falls; all commitments on one kind of hardware add up to
///   well under what is installed.
///
/// By default the model is an LP: no install blocks, no expansions, no tiers. With
/// `integers: true`, trainium3 installs in 20 MW blocks and gb300 in 10 MW blocks, and about a
/// third of the sites get a power expansion (a binary per quarter): a MIP.
public struct ScenarioGenerator: Sendable {
  public var sites: Int
  public var periods: Int
  public var hardware: Int
  public var offerings: Int
  public var seed: UInt64
  /// Install blocks and expansions: a MIP instead of an LP.
  public var integers: Bool

  /// Every count must be at least 1.
  public init(
    sites: Int, periods: Int, hardware: Int = 5, offerings: Int = 8, seed: UInt64 = 1, integers: Bool = false
  ) {
    precondition(
      sites >= 1 && periods >= 1 && hardware >= 1 && offerings >= 1, "every count must be at least 1")
    self.sites = sites
    self.periods = periods
    self.hardware = hardware
    self.offerings = offerings
    self.seed = seed
    self.integers = integers
  }

  /// The scenario. Its id names the sizes and the seed: `generated-200x12x5x8-s1` (`-mip` with
  /// integers).
  public func generate() -> Scenario {
    var build = Build(self)
    return build.scenario()
  }
}

extension Scenario {
  /// The scenario as a scenario file: YAML with the fields in the format's order and only the
  /// fields that are set. `ScenarioLoader` reads it back to an equal scenario.
  public func yamlText() throws -> String {
    // Yams writes every Double in scientific notation (0.25 as 2.5e-1); numbers are rewritten
    // the way a person writes them (0.25, 17.5, 100) where that is exact.
    let raw = try YAMLEncoder().encode(self)
    guard let node = try Yams.compose(yaml: raw) else { return raw }
    return try Yams.serialize(node: Self.plainNumbers(node))
  }

  private static func plainNumbers(_ node: Node) -> Node {
    switch node {
    case .scalar(let scalar):
      guard node.tag.rawValue == Tag.Name.float.rawValue, scalar.style == .plain || scalar.style == .any,
        let value = Double(scalar.string),
        value.isFinite
      else { return node }
      let text = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
      guard !text.contains("e"), Double(text) == value else { return node }
      return .scalar(Node.Scalar(text))
    case .mapping(let mapping):
      return .mapping(
        Node.Mapping(
          mapping.map { ($0.key, plainNumbers($0.value)) }, mapping.tag, mapping.style, mapping.mark))
    case .sequence(let sequence):
      return .sequence(Node.Sequence(sequence.map(plainNumbers), sequence.tag, sequence.style, sequence.mark))
    case .alias:
      return node
    }
  }
}

// MARK: - the generator's own random numbers

/// SplitMix64: small, fast, and the same sequence everywhere.
struct SplitMix64 {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  /// Uniform in [0, 1).
  mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
  mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * unit() }
  mutating func chance(_ p: Double) -> Bool { unit() < p }
  /// Uniform in `range` (not empty).
  mutating func int(_ range: Range<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
}

// MARK: - the build

private enum Family { case trainium, gpu, cpu }

/// What one kind of hardware is like; the five named ones follow `Models/aws-2026.yaml`.
private struct HardwareKind {
  var id: String
  var family: Family
  var opex: Double
  var capex: Double
  /// A lab's gross revenue per MW-year on it (accelerators).
  var labGross: Double
  /// Rental price per MW-year.
  var rent: Double
  /// Install block with `integers`.
  var block: Double
  /// Share of the starting fleet by site profile: Trainium-heavy, GPU-heavy, mixed.
  var weights: (trainium: Double, gpu: Double, mixed: Double)
  /// Fleet-wide new IT MW per quarter, as a share of all sites' starting power, by period index.
  var supply: (_ t: Int, _ periods: Int) -> Double
  /// The first period index it may serve the Bedrock offerings from (porting).
  var firstPeriod: (_ periods: Int) -> Int

  static func all(count: Int) -> [HardwareKind] {
    let named = [
      HardwareKind(
        id: "trainium2", family: .trainium, opex: 3.0, capex: 17.5, labGross: 26, rent: 9, block: 0,
        weights: (0.80, 0.05, 0.40), supply: { t, n in t < n / 3 ? 0.010 : t < 2 * n / 3 ? 0.004 : 0 },
        firstPeriod: { _ in 0 }),
      HardwareKind(
        id: "gb200", family: .gpu, opex: 3.0, capex: 30, labGross: 30, rent: 15.5, block: 0,
        weights: (0.10, 0.80, 0.40), supply: { t, _ in t < 2 ? 0.008 : 0 }, firstPeriod: { _ in 0 }),
      HardwareKind(
        id: "graviton4", family: .cpu, opex: 2.0, capex: 10, labGross: 0, rent: 6, block: 0,
        weights: (0.05, 0.05, 0.10), supply: { _, _ in 0.003 }, firstPeriod: { _ in 0 }),
      HardwareKind(
        id: "trainium3", family: .trainium, opex: 3.0, capex: 22.5, labGross: 40, rent: 13, block: 20,
        weights: (0.05, 0, 0.05),
        supply: { t, n in t == 0 ? 0 : t < n / 3 ? 0.008 : t < 2 * n / 3 ? 0.012 : 0.016 },
        firstPeriod: { n in min(1, n - 1) }),
      HardwareKind(
        id: "gb300", family: .gpu, opex: 3.0, capex: 35, labGross: 36, rent: 18, block: 10,
        weights: (0, 0.10, 0.05), supply: { t, n in t < n / 2 ? 0.004 : 0.008 }, firstPeriod: { _ in 0 }),
    ]
    var kinds = Array(named.prefix(count))
    for k in named.count..<max(count, named.count) {
      let extra = Double(k - named.count + 1)
      let gpu = k % 2 == 1
      kinds.append(
        HardwareKind(
          id: "accel-\(k + 1)", family: gpu ? .gpu : .trainium, opex: 3.0, capex: 30 + 2 * extra,
          labGross: 36 + 2 * extra, rent: 15 + 0.5 * extra, block: 10, weights: (0.02, 0.02, 0.02),
          supply: { t, n in t >= (k % max(n, 1)) / 2 ? 0.003 : 0 }, firstPeriod: { n in min(k % 4, n - 1) }))
    }
    return kinds
  }
}

private func round1(_ x: Double) -> Double { (x * 10).rounded() / 10 }
private func roundDown1(_ x: Double) -> Double { (x * 10).rounded(.down) / 10 }

private struct Build {
  let spec: ScenarioGenerator
  var rng: SplitMix64
  let kinds: [HardwareKind]
  let periodIDs: [String]
  var siteList: [Scenario.Site] = []
  /// IT MW installed at the start, by site and hardware index.
  var installed: [[Double]] = []

  init(_ spec: ScenarioGenerator) {
    self.spec = spec
    rng = SplitMix64(seed: spec.seed ^ 0x6361_7070_6C61_6E00)  // "capplan"
    kinds = HardwareKind.all(count: spec.hardware)
    // Quarters from 2026Q3: ids sort as they run, so a sorted map reads in time order.
    periodIDs = (0..<spec.periods).map { t in
      let q = 2 + t
      return "\(2026 + q / 4)Q\(q % 4 + 1)"
    }
  }

  var indices: (trainium: [Int], gpu: [Int], cpu: [Int], accelerators: [Int]) {
    let t = kinds.indices.filter { kinds[$0].family == .trainium }
    let g = kinds.indices.filter { kinds[$0].family == .gpu }
    let c = kinds.indices.filter { kinds[$0].family == .cpu }
    return (t, g, c, kinds.indices.filter { kinds[$0].family != .cpu })
  }

  /// Hardware that needs a companion (its MW draw on another kind's capacity).
  var needsCompanion: Set<Int> {
    guard kinds.contains(where: { $0.id == "graviton4" }),
      let trn3 = kinds.firstIndex(where: { $0.id == "trainium3" })
    else { return [] }
    return [trn3]
  }

  mutating func scenario() -> Scenario {
    makeSites()
    let hardware = makeHardware()
    var companions: [Scenario.CompanionRule]?
    if kinds.contains(where: { $0.id == "trainium3" }), kinds.contains(where: { $0.id == "graviton4" }) {
      companions = [Scenario.CompanionRule(hardware: "trainium3", requires: "graviton4", mwPerMW: 0.08)]
    }
    let offerings = makeOfferings()
    var policies: [Scenario.Policy]?
    let trn = indices.trainium
    let bedrockHardware = Set(offerings.filter { $0.use == "bedrock" }.flatMap { $0.hardwareMap?.keys ?? [] })
    if !trn.isEmpty, bedrockHardware.contains(where: { id in !trn.contains { kinds[$0].id == id } }) {
      // Trainium keeps a floor under Bedrock's MW (ref: Trainium serves most Bedrock usage).
      policies = [
        Scenario.Policy(
          id: "trainium-floor", kind: .minShare, use: "bedrock", hardware: trn.map { kinds[$0].id },
          share: 0.4,
          measure: .mw)
      ]
    }
    let sizes = "\(spec.sites)x\(spec.periods)x\(spec.hardware)x\(spec.offerings)"
    return Scenario(
      id: "generated-\(sizes)-s\(spec.seed)\(spec.integers ? "-mip" : "")",
      description: "Generated by ScenarioGenerator: \(spec.sites) sites, \(spec.periods) quarters, "
        + "\(spec.hardware) hardware, \(spec.offerings) offerings, seed \(spec.seed)"
        + (spec.integers ? ", install blocks and expansions" : "") + ".",
      periods: periodIDs.map { Scenario.Period(id: $0, years: 0.25) },
      hardware: hardware, companions: companions, sites: siteList, offerings: offerings, policies: policies)
  }

  // MARK: sites

  mutating func makeSites() {
    let width = max(3, String(spec.sites).count)
    for s in 0..<spec.sites {
      let number = String(s + 1)
      let id = "site-" + String(repeating: "0", count: width - number.count) + number
      let power = (exp(rng.uniform(log(80), log(800))) / 10).rounded() * 10
      let pue = (rng.uniform(1.08, 1.35) * 100).rounded() / 100
      let fill = rng.uniform(0.72, 0.97)
      let profile = rng.unit()
      var weights = kinds.map { k -> Double in
        profile < 0.45 ? k.weights.trainium : profile < 0.75 ? k.weights.gpu : k.weights.mixed
      }
      let total = weights.reduce(0, +)
      if total > 0 { weights = weights.map { $0 / total } } else { weights[0] = 1 }
      // Rounded down, so facility MW stays within `fill` of the power.
      let itMW = power * fill / pue
      let mw = weights.map { roundDown1(itMW * $0) }
      installed.append(mw)
      var installedMap = IDMap<Double>()
      for (h, value) in mw.enumerated() where value > 0 { installedMap[kinds[h].id] = value }

      var steps: [(Int, Double)] = [(0, power)]
      if spec.periods > 1, rng.chance(0.5) {
        let t = rng.int(1..<spec.periods)
        var level = (power * rng.uniform(1.1, 1.4) / 10).rounded() * 10
        steps.append((t, level))
        if t + 1 < spec.periods, rng.chance(0.4) {
          level = (level * rng.uniform(1.05, 1.25) / 10).rounded() * 10
          steps.append((rng.int((t + 1)..<spec.periods), level))
        }
      }
      let powerSeries: Series =
        steps.count == 1
        ? .constant(power) : .byPeriod(IDMap(steps.map { IDMap.Entry(key: periodIDs[$0.0], value: $0.1) }))

      var expansions: [Scenario.Expansion]?
      if spec.integers, rng.chance(0.35) {
        let mw = (power * rng.uniform(0.2, 0.5) / 10).rounded() * 10
        expansions = [
          Scenario.Expansion(
            id: "\(id)-x1", powerMW: mw, costPerYear: round1(mw * rng.uniform(0.4, 1.2)),
            earliest: periodIDs[rng.int(0..<spec.periods)])
        ]
      }
      siteList.append(
        Scenario.Site(
          id: id, pue: pue, powerMW: powerSeries, installedMW: installedMap.isEmpty ? nil : installedMap,
          expansions: expansions))
    }
  }

  /// All sites' facility MW in the first period.
  var startingPower: Double {
    siteList.reduce(0) { $0 + ($1.powerMW.values(over: [periodIDs[0]]).first ?? 0) }
  }

  // MARK: hardware

  func makeHardware() -> [Scenario.Hardware] {
    let power = startingPower
    return kinds.map { k in
      var entries: [IDMap<Double>.Entry] = []
      var last: Double?
      for t in 0..<spec.periods {
        let value = round1(k.supply(t, spec.periods) * power)
        if value != last { entries.append(.init(key: periodIDs[t], value: value)) }
        last = value
      }
      let supply: Series = entries.count == 1 ? .constant(entries[0].value) : .byPeriod(IDMap(entries))
      return Scenario.Hardware(
        id: k.id, opexPerMWYear: k.opex, capexPerMW: k.capex, lifeYears: 5,
        installBlockMW: spec.integers && k.block > 0 ? k.block : nil, supplyMW: supply)
    }
  }

  // MARK: offerings

  /// A series with a value in every period: `base * growth^t`, rounded.
  func growing(_ base: Double, _ growth: Double, every: Int = 1) -> Series {
    var entries: [IDMap<Double>.Entry] = []
    var value = base
    for t in 0..<spec.periods {
      if t % every == 0 { entries.append(.init(key: periodIDs[t], value: round1(value))) }
      value *= growth
    }
    return entries.count == 1 ? .constant(entries[0].value) : .byPeriod(IDMap(entries))
  }

  /// IT MW installed at the start on `hardware`, at `sites` (all when nil).
  func installedMW(_ hardware: [Int], sites: [Int]? = nil) -> Double {
    let list = sites ?? Array(0..<spec.sites)
    return list.reduce(0) { sum, s in sum + hardware.reduce(0) { $0 + installed[s][$1] } }
  }

  func makeOfferings() -> [Scenario.Offering] {
    let (trn, gpu, cpu, accel) = indices
    // Scenario.Hardware each template runs on; a family the scenario lacks falls back to the first kind.
    func or0(_ list: [Int]) -> [Int] { list.isEmpty ? [0] : list }
    let accelOr = or0(accel)
    let labGross = { (h: Int) -> Double in kinds[h].labGross > 0 ? kinds[h].labGross : 26 }
    let grossCapacity = accelOr.reduce(0) { $0 + installedMW([$1]) * labGross($1) }
    let companionFree = { (list: [Int]) in list.filter { !needsCompanion.contains($0) } }
    let repeats = { (template: Int) in (spec.offerings - 1 - template) / 8 + 1 }
    let newest = kinds.indices.filter { ["trainium3", "gb300"].contains(kinds[$0].id) || $0 >= 5 }

    var result: [Scenario.Offering] = []
    for o in 0..<spec.offerings {
      let template = o % 8
      let round = o / 8
      let suffix = round == 0 ? "" : "-\(round + 1)"
      // Repeats serve a region (every (round+2)-th site); their figures shift a little.
      var region: [Int]? =
        round == 0 ? nil : Array(stride(from: round % (round + 2), to: spec.sites, by: round + 2))
      if region?.isEmpty == true { region = [0] }
      let regionIDs = region.map { $0.map { siteList[$0].id } }
      let price = 1 + 0.03 * Double(round)
      let regionShare = region.map { Double($0.count) / Double(spec.sites) } ?? 1
      /// Commitments of one template over all its repeats stay within `fraction` of the basis.
      let commitShare = 1 / Double(repeats(template))
      func map(_ hw: [Int], _ rate: (Int) -> Double) -> IDMap<Double> {
        IDMap(hw.map { IDMap.Entry(key: kinds[$0].id, value: round1(rate($0) * price)) })
      }
      func porting(_ hw: [Int], from first: (Int) -> Int) -> IDMap<String>? {
        let entries = hw.compactMap { h -> IDMap<String>.Entry? in
          let t = first(h)
          return t > 0 ? .init(key: kinds[h].id, value: periodIDs[t]) : nil
        }
        return entries.isEmpty ? nil : IDMap(entries)
      }
      var offering: Scenario.Offering
      switch template {
      case 0:
        offering = Scenario.Offering(
          id: "lab-a" + suffix, use: "bedrock", pricing: .revenueShare, revenueShare: 0.25,
          iaasFeePerMWYear: 7.5,
          grossRevenuePerMWYear: map(accelOr, labGross),
          demandGrossRevenuePerYear: growing(0.55 * grossCapacity * regionShare, 1.07),
          availableFrom: porting(accelOr) { kinds[$0].firstPeriod(spec.periods) })
      case 1:
        let hw = or0(gpu)
        let basis = installedMW(companionFree(hw), sites: region)
        offering = Scenario.Offering(
          id: "gpu-rental" + suffix, use: "iaas", pricing: .rental,
          pricePerMWYear: map(hw) { kinds[$0].rent },
          demandMW: growing(0.4 * installedMW(hw, sites: region), 1.05, every: 2),
          committedMW: commitment(0.15 * basis * commitShare, later: 0.2 * basis * commitShare))
      case 2:
        let hw = or0(trn)
        offering = Scenario.Offering(
          id: "first-party" + suffix, use: "bedrock", pricing: .firstParty,
          grossRevenuePerMWYear: map(hw) { labGross($0) / 2 },
          demandGrossRevenuePerYear: growing(0.05 * grossCapacity * regionShare, 1.05, every: 2),
          availableFrom: porting(hw) { kinds[$0].firstPeriod(spec.periods) })
      case 3:
        let hw = or0(trn)
        let sites = region ?? Array(stride(from: 0, to: spec.sites, by: 4))
        let basis = installedMW(companionFree(hw), sites: sites)
        let required = commitment(0.2 * basis * commitShare, later: nil)
        offering = Scenario.Offering(
          id: "internal-training" + suffix, use: "internal", pricing: .internal,
          valuePerMWYear: map(hw) { kinds[$0].rent * 0.8 },
          demandMW: growing(max(0.3 * installedMW(hw, sites: sites), 1), 1.04, every: 4),
          requiredMW: required,
          sites: sites.map { siteList[$0].id })
      case 4:
        let hw = or0(gpu) + trn
        offering = Scenario.Offering(
          id: "lab-b" + suffix, use: "bedrock", pricing: .revenueShare, revenueShare: 0.25,
          iaasFeePerMWYear: 7.5,
          grossRevenuePerMWYear: map(hw) { labGross($0) * (kinds[$0].family == .trainium ? 0.78 : 1.2) },
          demandGrossRevenuePerYear: growing(0.07 * grossCapacity * regionShare, 1.06),
          availableFrom: porting(hw) { kinds[$0].family == .trainium ? spec.periods / 2 : 0 })
      case 5:
        let hw = or0(trn)
        let basis = installedMW(companionFree(hw), sites: region)
        offering = Scenario.Offering(
          id: "trainium-rental" + suffix, use: "iaas", pricing: .rental,
          pricePerMWYear: map(hw) { kinds[$0].rent },
          demandMW: growing(0.08 * installedMW(hw, sites: region), 1.04, every: 2),
          committedMW: commitment(0.04 * basis * commitShare, later: nil))
      case 6:
        let hw = or0(cpu)
        offering = Scenario.Offering(
          id: "cpu-rental" + suffix, use: "iaas", pricing: .rental,
          pricePerMWYear: map(hw) { kinds[$0].rent },
          demandMW: growing(max(0.4 * installedMW(hw, sites: region), 1), 1.03, every: 4))
      default:
        let hw = newest.isEmpty ? accelOr : newest
        let sites = region ?? (0..<spec.sites).filter { $0 % 5 < 2 }
        offering = Scenario.Offering(
          id: "lab-c" + suffix, use: "bedrock", pricing: .revenueShare, revenueShare: 0.2,
          iaasFeePerMWYear: 6,
          grossRevenuePerMWYear: map(hw) { labGross($0) * 1.05 },
          demandGrossRevenuePerYear: growing(
            0.04 * grossCapacity * Double(sites.count) / Double(spec.sites), 1.1),
          availableFrom: porting(hw) { kinds[$0].firstPeriod(spec.periods) },
          sites: sites.map { siteList[$0].id })
      }
      if template != 3, template != 7, let regionIDs { offering.sites = regionIDs }
      result.append(offering)
    }
    return result
  }

  /// A commitment of `first` MW from the first period, `later` from the middle of the horizon;
  /// nil when there is nothing to commit.
  func commitment(_ first: Double, later: Double?) -> Series? {
    let a = roundDown1(first)
    guard a > 0 else { return nil }
    guard let later, spec.periods > 1 else { return .constant(a) }
    return .byPeriod(
      IDMap([
        .init(key: periodIDs[0], value: a), .init(key: periodIDs[spec.periods / 2], value: roundDown1(later)),
      ]))
  }
}
