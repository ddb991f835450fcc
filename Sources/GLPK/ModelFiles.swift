import CGLPK
import CGLPKGuard
import Foundation
import LinearProgramming

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
  /// Reads a model from an MPS or CPLEX LP file, `.gz` included. For `.mps`, a
  /// file that is not fixed MPS is tried again as free MPS. An MPS `OBJSENSE`
  /// section and the LP objective-constant comment that `write` adds are honoured.
  public static func read(contentsOf path: String, format: ModelFileFormat) throws(LPError) -> Model {
    guard format != .mathProg else {
      throw .invalidOption("MathProg models are read with MathProg.translate")
    }
    guard FileManager.default.isReadableFile(atPath: path) else {
      throw .fileNotReadable(
        path: path,
        reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
    }
    let raw = Gzip.isCompressed(path) ? Gzip.read(path) : FileManager.default.contents(atPath: path)
    guard let raw else {
      throw .fileNotReadable(path: path, reason: "the file could not be read or decompressed")
    }
    let prepared = ModelFileText.preparing(String(decoding: raw, as: UTF8.self), format: format)
    var glpkPath = path
    if prepared.sense != nil || prepared.constant != nil {
      glpkPath =
        FileManager.default.temporaryDirectory
        .appendingPathComponent("capplan-read-\(UUID().uuidString).\(format.rawValue)").path
      guard FileManager.default.createFile(atPath: glpkPath, contents: Data(prepared.text.utf8)) else {
        throw .fileNotWritable(path: glpkPath, reason: "cannot stage the model for GLPK")
      }
    }
    defer { if glpkPath != path { try? FileManager.default.removeItem(atPath: glpkPath) } }
    var model = try withGLPKSession { (s: inout GLPKSession) throws(LPError) -> Model in
      func attempt(_ format: ModelFileFormat) throws(LPError) -> Model? {
        let p = try GLPKProblem.create()
        defer { s.deleteProblem(p) }
        var ret: Int32 = 0
        switch format {
        case .mps: try s.guarded("read MPS") { cg_read_mps(p, GLP_MPS_DECK, glpkPath, &ret) }
        case .freeMPS: try s.guarded("read MPS") { cg_read_mps(p, GLP_MPS_FILE, glpkPath, &ret) }
        case .lp: try s.guarded("read LP") { cg_read_lp(p, glpkPath, &ret) }
        case .mathProg: return nil
        }
        return ret == 0 ? GLPKProblem.extract(p) : nil
      }
      if let m = try attempt(format) { return m }
      let firstError = s.output.tail.replacingOccurrences(of: glpkPath, with: path)
      if format == .mps, let m = try attempt(.freeMPS) { return m }
      throw .parseError(path: path, format: format.rawValue, detail: firstError)
    }
    if let sense = prepared.sense { model.sense = sense }
    if let constant = prepared.constant { model.objectiveConstant = constant }
    return model
  }

  /// Writes the model as MPS or CPLEX LP (`.gz` compresses). Names the format
  /// cannot hold are replaced by GLPK with generic ones (R1, C1, ...); in LP
  /// files GLPK writes a ranged row as an equality with a bounded `~r_` column.
  public func write(to path: String, format: ModelFileFormat) throws(LPError) {
    guard format != .mathProg else { throw .invalidOption("GLPK cannot write MathProg") }
    try validate()
    // GLPK's MPS writer takes the first free row as the objective when there is
    // one, so free rows (which constrain nothing) are left out of MPS files.
    let written = format == .lp ? self : withoutFreeRows()
    let staged = FileManager.default.temporaryDirectory
      .appendingPathComponent("capplan-write-\(UUID().uuidString).\(format.rawValue)").path
    defer { try? FileManager.default.removeItem(atPath: staged) }
    try withGLPKSession { (s: inout GLPKSession) throws(LPError) in
      let p = try GLPKProblem.load(written)
      defer { s.deleteProblem(p) }
      var ret: Int32 = 0
      switch format {
      case .mps: try s.guarded("write MPS") { cg_write_mps(p, GLP_MPS_DECK, staged, &ret) }
      case .freeMPS: try s.guarded("write MPS") { cg_write_mps(p, GLP_MPS_FILE, staged, &ret) }
      case .lp: try s.guarded("write LP") { cg_write_lp(p, staged, &ret) }
      case .mathProg: break
      }
      if ret != 0 { throw .fileNotWritable(path: path, reason: s.output.tail) }
    }
    guard let written = FileManager.default.contents(atPath: staged) else {
      throw .fileNotWritable(path: path, reason: "GLPK produced no file")
    }
    var text = String(decoding: written, as: UTF8.self)
    if format != .lp { text = ModelFileText.addingSense(text, sense) }
    // Written in place, not renamed over: a target like /dev/stdout stays what it is.
    var ok = true
    if Gzip.isCompressed(path) {
      ok = Gzip.write(Data(text.utf8), to: path)
    } else {
      do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      } catch {
        ok = false
      }
    }
    if !ok {
      throw .fileNotWritable(path: path, reason: "cannot create the file (missing folder or no permission?)")
    }
  }
}

extension Model {
  /// A copy without the rows bounded on neither side.
  func withoutFreeRows() -> Model {
    let free = (0..<constraintCount).filter { !constraintLower[$0].isFinite && !constraintUpper[$0].isFinite }
    guard !free.isEmpty else { return self }
    var copy = self
    copy.constraintNames = []
    copy.constraintLower = []
    copy.constraintUpper = []
    copy.rowStart = [0]
    copy.entryColumn = []
    copy.entryValue = []
    let dropped = Set(free)
    for c in constraints where !dropped.contains(c.index) {
      copy.addConstraint(
        LinearExpression(terms: terms(of: c)), lower: constraintLower[c.index],
        upper: constraintUpper[c.index],
        name: constraintNames[c.index])
    }
    return copy
  }
}
