/// Estimates how wide text looks in a spreadsheet column, counting CJK and
/// fullwidth characters as two columns and everything else as one.
public enum TextWidth {
    /// Display width of `text`: 2 per CJK/fullwidth character, 1 otherwise,
    /// 0 for combining marks. For multi-line text, the widest line.
    public static func of(_ text: String) -> Int {
        var widest = 0
        var current = 0
        for character in text {
            if character.isNewline {
                widest = max(widest, current)
                current = 0
                continue
            }
            guard let scalar = character.unicodeScalars.first else { continue }
            current += isWide(scalar) ? 2 : 1
        }
        return max(widest, current)
    }

    /// A column width for content `width` wide: `width + padding`, clamped to `range`.
    public static func columnWidth(forContentWidth width: Int, padding: Int = 2,
                                   range: ClosedRange<Int> = 8...60) -> Double {
        Double(min(max(width + padding, range.lowerBound), range.upperBound))
    }

    /// East Asian Wide and Fullwidth blocks (a compact approximation of UAX #11).
    public static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F,   // Hangul Jamo initials
             0x2E80...0x303E,   // CJK radicals, Kangxi, ideographic description, CJK symbols & punctuation
             0x3041...0x33FF,   // Hiragana, Katakana, Bopomofo, Hangul compat., Kanbun, CJK strokes, enclosed, compatibility
             0x3400...0x4DBF,   // CJK Extension A
             0x4E00...0x9FFF,   // CJK Unified Ideographs
             0xA000...0xA4CF,   // Yi
             0xAC00...0xD7A3,   // Hangul syllables
             0xF900...0xFAFF,   // CJK compatibility ideographs
             0xFE10...0xFE19,   // vertical forms
             0xFE30...0xFE6F,   // CJK compatibility forms, small form variants
             0xFF00...0xFF60,   // Fullwidth ASCII variants (ＡＢＣ，（）)
             0xFFE0...0xFFE6,   // Fullwidth signs (￥)
             0x1F300...0x1F64F, // emoji (misc symbols & pictographs, emoticons)
             0x1F900...0x1F9FF, // supplemental symbols & pictographs
             0x20000...0x2FFFD, // CJK Extensions B–F
             0x30000...0x3FFFD: // CJK Extension G
            return true
        default:
            return false
        }
    }
}
