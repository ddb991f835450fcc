/// The report's stylesheet: screen and print rules, inlined into the page.
extension ReportHTML {
  static let css = """
    :root { color-scheme: light; }
    * { box-sizing: border-box; }
    body { margin: 0 auto; max-width: 1100px; padding: 24px 28px 40px; background: #ffffff; color: #1d1d1d;
      font: 14px/1.45 "Helvetica Neue", Arial, sans-serif; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    h1 { font-size: 26px; margin: 0 0 4px; }
    h2 { font-size: 20px; margin: 0 0 10px; padding-bottom: 4px; border-bottom: 2px solid #0072B2; }
    h3 { font-size: 15px; margin: 18px 0 6px; break-after: avoid; }
    figure { margin: 0; }
    p { margin: 6px 0; }
    .meta { color: #555; margin-bottom: 16px; }
    .status { display: inline-block; padding: 1px 8px; border-radius: 10px; border: 1px solid #999; font-size: 12px; }
    .status.ok { border-color: #2E7D32; color: #2E7D32; }
    .status.bad { border-color: #C62828; color: #C62828; }
    .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; margin: 12px 0 18px; }
    .card { border: 1px solid #d6dde5; border-radius: 6px; padding: 10px 12px; background: #f6f8fa; }
    .card .label { font-size: 12px; color: #555; }
    .card .value { font-size: 22px; font-weight: 700; }
    .card .unit { font-size: 12px; color: #555; }
    .card .delta { font-size: 12px; }
    .up { color: #2E7D32; } .down { color: #C62828; }
    nav.toc { border: 1px solid #e2e2e2; border-radius: 6px; padding: 8px 14px; margin-bottom: 18px; }
    nav.toc ol { margin: 4px 0 0; padding-left: 22px; columns: 2; }
    nav.toc a { color: #0b4f8a; text-decoration: none; }
    section { margin: 26px 0; }
    svg { max-width: 100%; height: auto; display: block; margin: 6px 0 10px; }
    .grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 6px 18px; }
    table { border-collapse: collapse; margin: 8px 0 14px; font-size: 12.5px; }
    th, td { padding: 3px 8px; border-bottom: 1px solid #e3e3e3; text-align: left; vertical-align: top; }
    th { background: #eef2f6; font-weight: 600; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    tr.total td { font-weight: 700; border-top: 1.5px solid #888; }
    tr.group td { border-top: 1.5px solid #bbb; }
    .heat td.num { min-width: 62px; }
    .note { color: #555; font-size: 12.5px; }
    .wide { overflow-x: auto; }
    footer { margin-top: 30px; padding-top: 8px; border-top: 1px solid #ddd; color: #666; font-size: 12px; }
    @page { size: A4 landscape; margin: 12mm; }
    @media print {
      body { max-width: none; padding: 0; font-size: 10.5pt; }
      nav.toc { display: none; }
      section { break-before: page; margin: 0; }
      h2 { break-after: avoid; }
      svg, figure, .card, tr, .grid2 > *, nav { break-inside: avoid; }
      table { break-inside: auto; }
      thead { display: table-header-group; }
      .wide { overflow: visible; }
      a { color: inherit; text-decoration: none; }
    }
    """
}
