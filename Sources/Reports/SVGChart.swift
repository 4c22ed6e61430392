import Foundation

/// A small line chart as SVG (opens in any browser, Office or WPS): one x axis, a few series,
/// points coloured by a verdict. Deterministic text, no fonts embedded.
public struct SVGChart {
    public struct Series { public var name: String; public var color: String; public var values: [Double] }
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var x: [Double]
    public var xTicks: [String]
    public var series: [Series]
    /// Per point: true green (compliant), false red; nil no marker colour.
    public var verdicts: [Bool]?
    /// The legend's words for a green and a red point (符合 / 不符合 in Chinese reports).
    public var verdictLabels: (pass: String, fail: String)

    public init(title: String, xLabel: String, yLabel: String, x: [Double], xTicks: [String], series: [Series], verdicts: [Bool]? = nil,
                verdictLabels: (pass: String, fail: String) = ("PASS", "FAIL")) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.x = x; self.xTicks = xTicks; self.series = series; self.verdicts = verdicts
        self.verdictLabels = verdictLabels
    }

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    public func render() -> String {
        let w = 760.0, h = 440.0, left = 70.0, right = 170.0, top = 50.0, bottom = 60.0
        let pw = w - left - right, ph = h - top - bottom
        let xs = x.isEmpty ? [0.0] : x
        let xmin = xs.min()!, xmax = max(xs.max()!, xmin + 1)
        let all = series.flatMap { $0.values }
        var ymin = min(0, all.min() ?? 0), ymax = max(all.max() ?? 1, ymin + 1)
        let pad = (ymax - ymin) * 0.08; ymax += pad; if ymin < 0 { ymin -= pad }
        func px(_ v: Double) -> Double { left + (v - xmin) / (xmax - xmin) * pw }
        func py(_ v: Double) -> Double { top + ph - (v - ymin) / (ymax - ymin) * ph }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s += "<text x=\"\(f(w / 2))\" y=\"28\" text-anchor=\"middle\" font-size=\"16\">\(Self.esc(title))</text>\n"
        s += "<line x1=\"\(f(left))\" y1=\"\(f(top + ph))\" x2=\"\(f(left + pw))\" y2=\"\(f(top + ph))\" stroke=\"black\"/>\n"
        s += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + ph))\" stroke=\"black\"/>\n"
        for i in 0...5 {
            let v = ymin + (ymax - ymin) * Double(i) / 5
            s += "<line x1=\"\(f(left))\" y1=\"\(f(py(v)))\" x2=\"\(f(left + pw))\" y2=\"\(f(py(v)))\" stroke=\"#ddd\"/>"
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(py(v) + 4))\" text-anchor=\"end\">\(Int(v.rounded()))</text>\n"
        }
        for (i, t) in xTicks.enumerated() where i < x.count {
            s += "<text x=\"\(f(px(x[i])))\" y=\"\(f(top + ph + 18))\" text-anchor=\"middle\">\(Self.esc(t))</text>\n"
        }
        s += "<text x=\"\(f(left + pw / 2))\" y=\"\(f(h - 15))\" text-anchor=\"middle\">\(Self.esc(xLabel))</text>\n"
        s += "<text x=\"18\" y=\"\(f(top + ph / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(f(top + ph / 2)))\">\(Self.esc(yLabel))</text>\n"
        for (k, ser) in series.enumerated() {
            let pts = zip(x, ser.values).map { "\(f(px($0))),\(f(py($1)))" }.joined(separator: " ")
            s += "<polyline fill=\"none\" stroke=\"\(ser.color)\" stroke-width=\"2\" points=\"\(pts)\"/>\n"
            for (i, (xv, yv)) in zip(x, ser.values).enumerated() {
                let fill = k == 0 ? (verdicts.map { $0[i] ? "#2e7d32" : "#c62828" } ?? ser.color) : ser.color
                s += "<circle cx=\"\(f(px(xv)))\" cy=\"\(f(py(yv)))\" r=\"4\" fill=\"\(fill)\"/>\n"
            }
            let ly = top + 10 + Double(k) * 20
            s += "<line x1=\"\(f(left + pw + 15))\" y1=\"\(f(ly))\" x2=\"\(f(left + pw + 35))\" y2=\"\(f(ly))\" stroke=\"\(ser.color)\" stroke-width=\"2\"/>"
            s += "<text x=\"\(f(left + pw + 40))\" y=\"\(f(ly + 4))\">\(Self.esc(ser.name))</text>\n"
        }
        if verdicts != nil {
            let ly = top + 10 + Double(series.count) * 20 + 10
            s += "<circle cx=\"\(f(left + pw + 25))\" cy=\"\(f(ly))\" r=\"4\" fill=\"#2e7d32\"/><text x=\"\(f(left + pw + 40))\" y=\"\(f(ly + 4))\">\(Self.esc(verdictLabels.pass))</text>\n"
            s += "<circle cx=\"\(f(left + pw + 25))\" cy=\"\(f(ly + 18))\" r=\"4\" fill=\"#c62828\"/><text x=\"\(f(left + pw + 40))\" y=\"\(f(ly + 22))\">\(Self.esc(verdictLabels.fail))</text>\n"
        }
        s += "</svg>\n"
        return s
    }
}
