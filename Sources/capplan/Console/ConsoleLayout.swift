import Foundation

/// Who is looking at a console page, as far as its chrome and forms need: the name of the token
/// signed in with, its role, and the CSRF token every form carries.
struct ConsoleViewer: Sendable {
  var tokenName: String
  var role: String
  var csrfToken: String
  /// Whether the role may cancel, retry and submit; pages leave out buttons it may not press
  /// (the server checks the role on every POST all the same).
  var canSubmit: Bool
  /// Whether the role may change schedules.
  var canAdmin: Bool
}

/// The console's pages share one shell: the report's stylesheet (so the console looks like the
/// report), a bar with the sections, and who is signed in. No script anywhere: every action is a
/// form, so the console works with JavaScript off. Every string that a user wrote passes through
/// `html(_:)` on its way into a page; numbers and fixed words are the only things written raw.
enum ConsoleLayout {
  enum Section: String, CaseIterable {
    case queue, jobs, schedules, plans, submit
    var title: String {
      switch self {
      case .queue: "Queue"
      case .jobs: "Jobs"
      case .schedules: "Schedules"
      case .plans: "Plans"
      case .submit: "Submit"
      }
    }
    var path: String { self == .queue ? ConsolePaths.root : "\(ConsolePaths.root)/\(rawValue)" }
  }

  /// A whole page. `viewer` nil: the sign-in page and its errors (no bar of sections).
  static func page(
    title: String, section: Section?, viewer: ConsoleViewer?, notice: String? = nil, extraCSS: String = "",
    body: String
  ) -> String {
    var bar = "<nav class=\"console\"><span class=\"brand\">capplan</span>"
    if let viewer {
      for s in Section.allCases {
        let current = s == section ? " class=\"current\" aria-current=\"page\"" : ""
        bar += "<a href=\"\(s.path)\"\(current)>\(s.title)</a>"
      }
      bar += "<span class=\"who\">\(html(viewer.tokenName)) (\(html(viewer.role)))"
      bar += form(action: ConsolePaths.signOut, viewer: viewer, fields: "", button: "Sign out", inline: true)
      bar += "</span>"
    }
    bar += "</nav>"
    let noticeHTML = notice.map { "<p class=\"notice\" role=\"status\">\(html($0))</p>" } ?? ""
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(html(title)) - capplan console</title>
      <link rel="icon" href="data:,">
      <style>\(ReportHTML.css)\(css)\(extraCSS)</style>
      </head>
      <body>
      \(bar)
      \(noticeHTML)
      \(body)
      </body>
      </html>

      """
  }

  /// A POST form with the CSRF token and one submit button.
  static func form(
    action: String, viewer: ConsoleViewer, fields: String, button: String, inline: Bool = false,
    danger: Bool = false
  ) -> String {
    var out = "<form method=\"post\" action=\"\(html(action))\"\(inline ? " class=\"inline\"" : "")>"
    out += csrfField(viewer.csrfToken) + fields
    out += "<button type=\"submit\"\(danger ? " class=\"danger\"" : "")>\(html(button))</button></form>"
    return out
  }

  static func csrfField(_ token: String) -> String {
    "<input type=\"hidden\" name=\"\(ConsoleForm.csrfField)\" value=\"\(html(token))\">"
  }

  /// A table whose cells are already HTML (escaped by the caller): for cells with links or forms.
  static func table(header: [String], rows: [[String]], numeric: Set<Int> = [], id: String? = nil) -> String {
    var out = "<table\(id.map { " id=\"\($0)\"" } ?? "")><thead><tr>"
    for (i, h) in header.enumerated() {
      out += numeric.contains(i) ? "<th class=\"num\">\(html(h))</th>" : "<th>\(html(h))</th>"
    }
    out += "</tr></thead><tbody>"
    for row in rows {
      out += "<tr>"
      for (i, cell) in row.enumerated() {
        out += numeric.contains(i) ? "<td class=\"num\">\(cell)</td>" : "<td>\(cell)</td>"
      }
      out += "</tr>"
    }
    return out + "</tbody></table>"
  }

  static func link(_ path: String, _ text: String) -> String {
    "<a href=\"\(html(path))\">\(html(text))</a>"
  }

  /// "3 min 20 s", "1 h 05 min", "12 s": how long a person reads an elapsed time.
  static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "-" }
    let s = Int(max(0, min(seconds, 1e9)).rounded())
    if s < 60 { return "\(s) s" }
    if s < 3600 { return "\(s / 60) min \(String(format: "%02d", s % 60)) s" }
    return "\(s / 3600) h \(String(format: "%02d", (s % 3600) / 60)) min"
  }

  static let css = """
    nav.console { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 14px; padding: 8px 0 10px;
      margin-bottom: 16px; border-bottom: 2px solid #0072B2; }
    nav.console .brand { font-weight: 700; font-size: 16px; margin-right: 8px; }
    nav.console a { color: #0b4f8a; text-decoration: none; padding: 2px 4px; }
    nav.console a.current { font-weight: 700; border-bottom: 2px solid #E69F00; }
    nav.console .who { margin-left: auto; color: #555; }
    a { color: #0b4f8a; }
    form.inline { display: inline; margin: 0 0 0 6px; }
    form.filters { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: flex-end; margin: 8px 0 14px; }
    form.stack label { display: block; margin: 10px 0 2px; font-weight: 600; }
    form.stack .hint { color: #555; font-size: 12px; font-weight: 400; }
    label { font-size: 13px; }
    input, select, button { font: inherit; font-size: 13px; }
    input[type=text], input[type=number], input[type=password], select { padding: 3px 6px; border: 1px solid #bbb;
      border-radius: 4px; }
    button { padding: 3px 10px; border: 1px solid #0072B2; border-radius: 4px; background: #eef5fb; color: #0b4f8a;
      cursor: pointer; }
    button.danger { border-color: #C62828; background: #fdf0f0; color: #C62828; }
    .notice { border: 1px solid #2E7D32; background: #f0f8f0; padding: 6px 10px; border-radius: 4px; }
    .errors { border: 1px solid #C62828; background: #fdf0f0; padding: 6px 10px; border-radius: 4px; }
    .state { display: inline-block; padding: 0 7px; border-radius: 9px; border: 1px solid #999; font-size: 12px; }
    .state.succeeded { border-color: #2E7D32; color: #2E7D32; }
    .state.failed { border-color: #C62828; color: #C62828; }
    .state.running { border-color: #0072B2; color: #0072B2; }
    .state.cancelled { color: #666; }
    .failure { white-space: pre-wrap; font-family: ui-monospace, Menlo, monospace; font-size: 12px; }
    """
}

/// Where each console page and action lives. Ids are numbers; a schedule name is
/// percent-encoded as a path segment.
enum ConsolePaths {
  static let root = "/console"
  static let signIn = "\(root)/sign-in"
  static let signOut = "\(root)/sign-out"
  static let jobs = "\(root)/jobs"
  static let schedules = "\(root)/schedules"
  static let plans = "\(root)/plans"
  static let compare = "\(root)/compare"
  static let submit = "\(root)/submit"

  static func job(_ id: Int64) -> String { "\(jobs)/\(id)" }
  static func plan(_ id: Int64) -> String { "\(plans)/\(id)" }
  static func schedule(_ name: String, _ action: String) -> String {
    "\(schedules)/\(segment(name))/\(action)"
  }

  static func segment(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-_.~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
  }

  static func query(_ pairs: [(String, String)]) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-_.~")
    let parts = pairs.map { k, v in
      "\(k)=\(v.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
    }
    return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
  }
}
