/// The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters from a
/// 31-character alphabet (digits and capitals without I, O, S, V, Z); the 18th is a check
/// character over the first 17 with weights 3^i mod 31.
public enum CreditCode {
    public static let alphabet: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    static let values: [Character: Int] = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, $0) })

    /// The check character for 17 leading characters, or nil if they are not 17 valid ones.
    /// ASCII byte → value in the alphabet, or -1.
    static let byteValues: [Int] = {
        var t = Array(repeating: -1, count: 128)
        for (i, c) in alphabet.enumerated() { t[Int(c.asciiValue!)] = i }
        return t
    }()

    public static func checkCharacter(for body: String) -> Character? {
        var sum = 0, i = 0
        for b in body.utf8 {
            guard i < 17, b < 128, byteValues[Int(b)] >= 0 else { return nil }
            sum += byteValues[Int(b)] * weights[i]
            i += 1
        }
        guard i == 17 else { return nil }
        return alphabet[(31 - sum % 31) % 31]
    }

    /// Fast path for valid codes: 18 ASCII alphabet bytes with the right check character.
    static func isValidFast(_ code: String) -> Bool {
        let u = code.utf8
        guard u.count == 18, let last = u.last, last < 128 else { return false }
        var sum = 0, i = 0
        for b in u {
            guard b < 128, byteValues[Int(b)] >= 0 else { return false }
            if i < 17 { sum += byteValues[Int(b)] * weights[i] }
            i += 1
        }
        return byteValues[Int(last)] == (31 - sum % 31) % 31
    }

    /// Why `code` is not a valid credit code, in Chinese and English; nil when it is valid.
    public static func problem(_ code: String) -> String? {
        if isValidFast(code) { return nil }
        let chars = Array(code)
        if chars.count != 18 {
            return "应为18位统一社会信用代码，实为\(chars.count)位 (must be 18 characters, found \(chars.count))"
        }
        for (i, c) in chars.enumerated() where values[c] == nil {
            return "第\(i + 1)位字符“\(c)”不在代码字符集内 (character \(i + 1) '\(c)' is not one of 0-9 and A-Y without I, O, S, V, Z)"
        }
        let expected = checkCharacter(for: String(chars[0..<17]))!
        if expected != chars[17] {
            return "校验码错误：第18位应为“\(expected)”(check character should be '\(expected)', GB 32100-2015)"
        }
        return nil
    }

    public static func isValid(_ code: String) -> Bool { problem(code) == nil }
}
