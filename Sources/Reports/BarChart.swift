import Foundation

/// A bar chart as the printable plan draws it: the geometry (rectangles, lines, texts with their
/// coordinates) is worked out here, and `templates/bar-chart.mustache` writes it as inline SVG,
/// escaping every text. Grouped bars, vertical (categories along x) or horizontal (categories
/// down y, for long names such as towns); an optional dashed reference line (the 60% floor).
/// Deterministic: coordinates are printed to one decimal.
struct BarChart {
    /// `colors`, when given, fills each bar on its own (a verdict: green passes, red fails); the
    /// legend keeps `color`.
    struct Series { var name: String; var color: String; var values: [Double]; var colors: [String]? = nil }

    var id: String
    var title: String
    /// The category labels (months, risk levels, towns).
    var categories: [String]
    var series: [Series]
    /// A value drawn as a dashed line across the plot, with its label.
    var reference: (value: Double, label: String)? = nil
    var horizontal = false
    /// How an axis tick and a bar's value read (`12`, `60%`).
    var format: (Double) -> String = { PlanReport.f($0) }
    /// The axis maximum at least this (a share chart runs to 100%).
    var minimumTop: Double = 1

    // MARK: - What the template draws

    struct Rect { let x, y, width, height, fill: String }
    struct Line { let x1, y1, x2, y2, stroke: String; let dashed: Bool }
    struct Text { let x, y, anchor, text: String; let small: Bool }
    struct Drawing {
        let id, title, width, height: String
        let rects: [Rect]
        let lines: [Line]
        let texts: [Text]
    }

    static func n(_ v: Double) -> String { String(format: "%.1f", v) }

    /// The axis top: four round ticks (1, 2, 2.5 or 5 times a power of ten) reaching the
    /// largest value.
    static func niceTop(_ v: Double) -> Double {
        guard v.isFinite, v > 0 else { return 4 }
        let tick = v / 4, mag = pow(10, floor(log10(tick)))
        for step in [1.0, 2.0, 2.5, 5.0, 10.0] where step * mag >= tick - 1e-9 { return 4 * step * mag }
        return 40 * mag
    }

    func drawing() -> Drawing {
        let all = series.flatMap { $0.values } + (reference.map { [$0.value] } ?? [])
        let top = Self.niceTop(max(all.filter { $0.isFinite }.max() ?? 0, minimumTop))
        var rects: [Rect] = [], lines: [Line] = [], texts: [Text] = []
        let legendHeight = 22.0
        let groups = max(categories.count, 1)
        let perBar = series.isEmpty ? 1 : Double(series.count)
        // Legend: one swatch and name per series, on one line under the title.
        var lx = 60.0
        for s in series {
            rects.append(Rect(x: Self.n(lx), y: "34.0", width: "12.0", height: "12.0", fill: s.color))
            texts.append(Text(x: Self.n(lx + 16), y: "44.0", anchor: "start", text: s.name, small: true))
            lx += 16 + Double(s.name.count) * 12 + 24
        }
        if let r = reference {
            lines.append(Line(x1: Self.n(lx), y1: "40.0", x2: Self.n(lx + 20), y2: "40.0", stroke: "#c62828", dashed: true))
            texts.append(Text(x: Self.n(lx + 24), y: "44.0", anchor: "start", text: r.label, small: true))
        }
        let width: Double, height: Double
        if !horizontal {
            width = 680; height = 300
            let left = 56.0, right = 16.0, plotTop = 34 + legendHeight + 8, bottom = 36.0
            let pw = width - left - right, ph = height - plotTop - bottom
            func py(_ v: Double) -> Double { plotTop + ph - max(0, min(v, top)) / top * ph }
            for i in 0...4 {
                let v = top * Double(i) / 4
                lines.append(Line(x1: Self.n(left), y1: Self.n(py(v)), x2: Self.n(left + pw), y2: Self.n(py(v)), stroke: i == 0 ? "#333" : "#ddd", dashed: false))
                texts.append(Text(x: Self.n(left - 6), y: Self.n(py(v) + 4), anchor: "end", text: format(v), small: true))
            }
            let gw = pw / Double(groups), bw = gw * 0.8 / perBar
            for (i, c) in categories.enumerated() {
                let gx = left + gw * Double(i) + gw * 0.1
                for (k, s) in series.enumerated() where i < s.values.count {
                    let v = s.values[i], x = gx + bw * Double(k)
                    rects.append(Rect(x: Self.n(x), y: Self.n(py(v)), width: Self.n(bw), height: Self.n(py(0) - py(v)), fill: s.fill(i)))
                    if bw >= 14 {
                        texts.append(Text(x: Self.n(x + bw / 2), y: Self.n(py(v) - 3), anchor: "middle", text: format(v), small: true))
                    }
                }
                texts.append(Text(x: Self.n(left + gw * (Double(i) + 0.5)), y: Self.n(plotTop + ph + 16), anchor: "middle", text: c, small: false))
            }
            if let r = reference {
                lines.append(Line(x1: Self.n(left), y1: Self.n(py(r.value)), x2: Self.n(left + pw), y2: Self.n(py(r.value)), stroke: "#c62828", dashed: true))
            }
        } else {
            let rowHeight = 12.0 * perBar + 10
            let left = 150.0, right = 60.0, plotTop = 34 + legendHeight + 8, bottom = 24.0
            width = 680; height = plotTop + rowHeight * Double(groups) + bottom
            let pw = width - left - right, ph = rowHeight * Double(groups)
            func px(_ v: Double) -> Double { left + max(0, min(v, top)) / top * pw }
            for i in 0...4 {
                let v = top * Double(i) / 4
                lines.append(Line(x1: Self.n(px(v)), y1: Self.n(plotTop), x2: Self.n(px(v)), y2: Self.n(plotTop + ph), stroke: i == 0 ? "#333" : "#ddd", dashed: false))
                texts.append(Text(x: Self.n(px(v)), y: Self.n(plotTop + ph + 16), anchor: "middle", text: format(v), small: true))
            }
            for (i, c) in categories.enumerated() {
                let gy = plotTop + rowHeight * Double(i) + 5
                for (k, s) in series.enumerated() where i < s.values.count {
                    let v = s.values[i], y = gy + 12 * Double(k)
                    rects.append(Rect(x: Self.n(left), y: Self.n(y), width: Self.n(px(v) - left), height: "11.0", fill: s.fill(i)))
                    texts.append(Text(x: Self.n(px(v) + 4), y: Self.n(y + 10), anchor: "start", text: format(v), small: true))
                }
                texts.append(Text(x: Self.n(left - 6), y: Self.n(gy + 6 * perBar + 4), anchor: "end", text: c, small: false))
            }
            if let r = reference {
                lines.append(Line(x1: Self.n(px(r.value)), y1: Self.n(plotTop), x2: Self.n(px(r.value)), y2: Self.n(plotTop + ph), stroke: "#c62828", dashed: true))
            }
        }
        texts.insert(Text(x: Self.n(width / 2), y: "20.0", anchor: "middle", text: title, small: false), at: 0)
        return Drawing(id: id, title: title, width: String(Int(width)), height: String(Int(height)), rects: rects, lines: lines, texts: texts)
    }
}

extension BarChart.Series {
    /// The fill of the bar of category `i`.
    func fill(_ i: Int) -> String { colors.flatMap { i < $0.count ? $0[i] : nil } ?? color }
}
