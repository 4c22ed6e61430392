/// The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters from a
/// 31-character alphabet (digits and capitals without I, O, S, V, Z); the 18th is a check
/// character over the first 17 with weights 3^i mod 31.
///
/// Codes are checked byte by byte in ASCII, never with `Character` comparison: Swift's `String`
/// equality is canonical equivalence, under which the KELVIN SIGN (U+212A) equals "K" and the
/// ANGSTROM SIGN (U+212B) equals "Å". A code with any non-ASCII character is invalid wherever it
/// stands, the check character included.
public enum CreditCode {
    public static let alphabet: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let alphabetBytes: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// ASCII byte → value in the alphabet, or -1.
    static let byteValues: [Int] = {
        var t = Array(repeating: -1, count: 256)
        for (i, b) in alphabetBytes.enumerated() { t[Int(b)] = i }
        return t
    }()

    /// The check character for 17 leading characters, or nil if they are not 17 valid ones.
    public static func checkCharacter(for body: String) -> Character? {
        var sum = 0, i = 0
        for b in body.utf8 {
            guard i < 17, byteValues[Int(b)] >= 0 else { return nil }
            sum += byteValues[Int(b)] * weights[i]
            i += 1
        }
        guard i == 17 else { return nil }
        return Character(Unicode.Scalar(alphabetBytes[(31 - sum % 31) % 31]))
    }

    /// Fast path for valid codes: 18 ASCII alphabet bytes with the right check character.
    static func isValidFast(_ code: String) -> Bool {
        let u = code.utf8
        guard u.count == 18 else { return false }
        var sum = 0, i = 0, last = -1
        for b in u {
            let v = byteValues[Int(b)]
            guard v >= 0 else { return false }
            if i < 17 { sum += v * weights[i] } else { last = v }
            i += 1
        }
        return last == (31 - sum % 31) % 31
    }

    /// Why `code` is not a valid credit code, in Chinese and English; nil when it is valid.
    public static func problem(_ code: String) -> String? {
        if isValidFast(code) { return nil }
        // Positions are counted in Unicode scalars, so that a pasted U+212A is character n, not a byte.
        let scalars = Array(code.unicodeScalars)
        if scalars.count != 18 {
            return "应为18位统一社会信用代码，实为\(scalars.count)位 (must be 18 characters, found \(scalars.count))"
        }
        for (i, s) in scalars.enumerated() where !(s.isASCII && byteValues[Int(s.value)] >= 0) {
            let shown = s.isASCII && s.value >= 0x20 && s.value < 0x7F ? "“\(s)”" : "U+\(hex(s.value))"
            let shownEN = s.isASCII && s.value >= 0x20 && s.value < 0x7F ? "'\(s)'" : "U+\(hex(s.value))"
            let extra = s.isASCII ? "" : "（非ASCII字符，可能是外形相同的全角或特殊符号）"
            let extraEN = s.isASCII ? "" : " (not ASCII: a look-alike of a letter or digit)"
            return "第\(i + 1)位字符\(shown)不在代码字符集内\(extra)"
                + " (character \(i + 1) \(shownEN) is not one of 0-9 and A-Y without I, O, S, V, Z\(extraEN))"
        }
        // 18 ASCII alphabet characters: only the check character can be wrong.
        guard let expected = checkCharacter(for: String(code.utf8.prefix(17).map { Character(Unicode.Scalar($0)) })) else { return nil }
        return "校验码错误：第18位应为“\(expected)”(check character should be '\(expected)', GB 32100-2015)"
    }

    public static func isValid(_ code: String) -> Bool { isValidFast(code) }

    private static func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }
}
