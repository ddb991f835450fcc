import Foundation

/// Writes a command's output file without ever replacing something that is
/// not a regular file:
/// - a new path, or a regular file: written whole to a temporary file beside
///   it and renamed over it, so a reader never sees half a file (the old
///   file's permissions are kept);
/// - a symlink is followed: its target is what gets written (or replaced,
///   when it is a regular file); a symlink to nothing is refused;
/// - a device, FIFO or socket (`/dev/stdout`, a named pipe) is written
///   through, in place, and never replaced;
/// - a folder is refused.
enum OutputFile {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  static func write(_ data: Data, to path: String) throws(Failure) {
    var info = stat()
    if stat(path, &info) != 0 {
      let err = errno
      var link = stat()
      if lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK {
        throw Failure(
          description: "\(path) is a symlink to a file that does not exist; not replacing the link")
      }
      guard err == ENOENT else { throw Failure(description: "\(path): \(String(cString: strerror(err)))") }
      try replace(path, with: data, mode: nil)
      return
    }
    switch info.st_mode & S_IFMT {
    case S_IFREG:
      guard let resolved = realpath(path, nil) else {
        throw Failure(description: "\(path): \(String(cString: strerror(errno)))")
      }
      defer { free(resolved) }
      try replace(String(cString: resolved), with: data, mode: info.st_mode & 0o7777)
    case S_IFDIR:
      throw Failure(description: "\(path) is a folder; give a file name")
    default:
      try writeThrough(path, data)
    }
  }

  /// Temporary file in the same folder, then rename: whole or not at all.
  static func replace(_ path: String, with data: Data, mode: mode_t?) throws(Failure) {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent().path
    let temporary = "\(folder)/.\(url.lastPathComponent).capplan-\(UUID().uuidString.prefix(8))"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode ?? 0o644)
    guard fd >= 0 else {
      throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
    }
    var ok = writeAll(fd, data)
    let writeError = errno
    if ok, let mode { ok = fchmod(fd, mode) == 0 }
    if ok { ok = fsync(fd) == 0 }
    let closeFailed = close(fd) != 0
    guard ok, !closeFailed, rename(temporary, path) == 0 else {
      let err = ok ? errno : writeError
      unlink(temporary)
      throw Failure(description: "cannot write \(path): \(String(cString: strerror(err)))")
    }
  }

  /// A device or FIFO: opened and written in place.
  static func writeThrough(_ path: String, _ data: Data) throws(Failure) {
    let fd = open(path, O_WRONLY | O_CLOEXEC)
    guard fd >= 0 else {
      throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    guard writeAll(fd, data) else {
      throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
    }
  }

  static func writeAll(_ fd: Int32, _ data: Data) -> Bool {
    data.withUnsafeBytes { raw -> Bool in
      guard var p = raw.baseAddress else { return true }
      var left = raw.count
      while left > 0 {
        let n = Glibc.write(fd, p, left)
        if n < 0 {
          if errno == EINTR { continue }
          return false
        }
        p += n
        left -= n
      }
      return true
    }
  }
}
