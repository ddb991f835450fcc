import CGLPK
import CGLPKGuard
import Foundation

/// Model file formats GLPK reads and writes. Names ending in `.gz` are
/// compressed and decompressed by GLPK.
public enum ModelFileFormat: String, CaseIterable, Sendable, Codable {
  /// Fixed (column-position) MPS, as in Netlib and MIPLIB.
  case mps
  case freeMPS = "freemps"
  /// CPLEX LP format.
  case lp
  /// GNU MathProg (read only; see `MathProg`).
  case mathProg = "mathprog"

  /// The format a file name suggests: `.mps`, `.lp`, `.mod` (with or without `.gz`).
  public static func guess(path: String) -> ModelFileFormat? {
    var name = path.lowercased()
    if name.hasSuffix(".gz") { name.removeLast(3) }
    if name.hasSuffix(".mps") { return .mps }
    if name.hasSuffix(".lp") { return .lp }
    if name.hasSuffix(".mod") || name.hasSuffix(".mathprog") { return .mathProg }
    return nil
  }
}

extension Model {
  /// Reads a model from an MPS or CPLEX LP file. For `.mps`, a file that is
  /// not fixed MPS is tried again as free MPS.
  public static func read(contentsOf path: String, format: ModelFileFormat) throws(LPError) -> Model {
    guard FileManager.default.isReadableFile(atPath: path) else {
      throw .fileNotReadable(
        path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
    }
    return try withGLPKSession { (s: inout GLPKSession) throws(LPError) -> Model in
      func attempt(_ format: ModelFileFormat) throws(LPError) -> Model? {
        let p = glp_create_prob()!
        var ret: Int32 = 0
        switch format {
          case .mps: try s.guarded("read MPS") { cg_read_mps(p, GLP_MPS_DECK, path, &ret) }
          case .freeMPS: try s.guarded("read MPS") { cg_read_mps(p, GLP_MPS_FILE, path, &ret) }
          case .lp: try s.guarded("read LP") { cg_read_lp(p, path, &ret) }
          case .mathProg: throw LPError.invalidOption("MathProg models are read with MathProg.translate")
        }
        defer { s.deleteProblem(p) }
        return ret == 0 ? GLPKProblem.extract(p) : nil
      }
      if let m = try attempt(format) { return m }
      let firstError = s.output.tail
      if format == .mps, let m = try attempt(.freeMPS) { return m }
      throw .parseError(path: path, format: format.rawValue, detail: firstError)
    }
  }

  /// Writes the model as MPS or CPLEX LP. Names that the format cannot hold
  /// are replaced by GLPK with generic ones (R1, C1, ...).
  public func write(to path: String, format: ModelFileFormat) throws(LPError) {
    try validate()
    try withGLPKSession { (s: inout GLPKSession) throws(LPError) in
      let p = GLPKProblem.load(self)
      defer { s.deleteProblem(p) }
      var ret: Int32 = 0
      switch format {
        case .mps: try s.guarded("write MPS") { cg_write_mps(p, GLP_MPS_DECK, path, &ret) }
        case .freeMPS: try s.guarded("write MPS") { cg_write_mps(p, GLP_MPS_FILE, path, &ret) }
        case .lp: try s.guarded("write LP") { cg_write_lp(p, path, &ret) }
        case .mathProg: throw LPError.invalidOption("GLPK cannot write MathProg")
      }
      if ret != 0 { throw .fileNotWritable(path: path, reason: s.output.tail) }
    }
  }
}
