import Foundation

/// How text becomes search terms, the same at build time (here) and in the browser (`SearchRuntime.script`
/// implements these rules line for line, and a test runs both on the same text):
///
/// - **Normalized**: NFKC (full-width Ｎｕｒｓｉｎｇ and half-width forms become one), lowercase, accents
///   removed (NFD, then U+0300–U+036F dropped): "Université" and "universite" are one word.
/// - **Words** are runs of letters and digits outside Han; each is **stemmed** by a few English rules (plural
///   -s/-es/-ies, -ing, -ed, a final -e), so "nursing", "nurses" and "nurse" meet.
/// - **Chinese** (Han) has no spaces: each run gives its single characters and its two-character pairs
///   (bigrams), so a two- or three-character word is found by the pairs it contains (渥太华 = 渥太 + 太华)
///   without a dictionary that would miss names (a dictionary segmenter does not know 斯特拉斯堡 or 渥太华;
///   n-grams find every substring, at the cost of a larger index, and rank by how many pairs match).
public enum Tokenizer {
    public static func normalize(_ text: String) -> String {
        let folded = text.precomposedStringWithCompatibilityMapping.lowercased().decomposedStringWithCanonicalMapping
        var scalars = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars where !(0x300...0x36F).contains(scalar.value) { scalars.append(scalar) }
        return String(scalars)
    }

    public static func isHan(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FFFF: return true
        default: return false
        }
    }

    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// The pieces of normalized text: `.word` runs and `.han` runs, in order.
    public enum Piece: Equatable {
        case word(String)
        case han(String)
    }

    public static func pieces(_ text: String) -> [Piece] {
        var pieces: [Piece] = []
        var word = String.UnicodeScalarView(), han = String.UnicodeScalarView()
        func flush() {
            if !word.isEmpty { pieces.append(.word(String(word))); word = .init() }
            if !han.isEmpty { pieces.append(.han(String(han))); han = .init() }
        }
        for scalar in normalize(text).unicodeScalars {
            if isHan(scalar) {
                if !word.isEmpty { flush() }
                han.append(scalar)
            } else if isWordCharacter(scalar) {
                if !han.isEmpty { flush() }
                word.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        return pieces
    }

    /// `stem` on lowercase ASCII bytes, in place (the same rules, without making Strings).
    static func stemASCII(_ w: inout [UInt8]) {
        guard w.count > 3 else { return }
        func ends(_ suffix: StaticString) -> Bool {
            let n = suffix.utf8CodeUnitCount
            guard w.count >= n else { return false }
            let s = suffix.utf8Start
            for i in 0..<n where w[w.count - n + i] != s[i] { return false }
            return true
        }
        if ends("ies") && w.count > 4 {
            w.removeLast(3)
            w.append(UInt8(ascii: "y"))
        } else if ends("sses") {
            w.removeLast(2)
        } else if ends("s") && !ends("ss") && !ends("us") && !ends("is") {
            w.removeLast()
        }
        if ends("ing") && w.count > 5 {
            w.removeLast(3)
        } else if ends("ed") && w.count > 4 {
            w.removeLast(2)
        }
        if ends("e") && w.count > 4 { w.removeLast() }
    }

    /// A few English suffix rules; a word of three letters or fewer is left as it is.
    public static func stem(_ word: String) -> String {
        if word.utf8.count <= 3 && word.utf8.allSatisfy({ $0 < 0x80 }) { return word }
        var w = word
        guard w.count > 3 else { return w }
        if w.hasSuffix("ies") && w.count > 4 {
            w = String(w.dropLast(3)) + "y"
        } else if w.hasSuffix("sses") {
            w = String(w.dropLast(2))
        } else if w.hasSuffix("s") && !w.hasSuffix("ss") && !w.hasSuffix("us") && !w.hasSuffix("is") {
            w = String(w.dropLast())
        }
        if w.hasSuffix("ing") && w.count > 5 {
            w = String(w.dropLast(3))
        } else if w.hasSuffix("ed") && w.count > 4 {
            w = String(w.dropLast(2))
        }
        if w.hasSuffix("e") && w.count > 4 { w = String(w.dropLast()) }
        return w
    }

    /// The terms `text` is indexed under: stemmed words, Han characters and Han pairs. Text is cut at ASCII
    /// spaces and punctuation first; a chunk of ASCII letters and digits (most of an English page) is
    /// lowercased and stemmed directly, anything else goes through the full rules (`slowTerms`): the
    /// result is the same, as a test checks on mixed text.
    public static func terms(_ text: String) -> [String] {
        var terms: [String] = []
        var chunk: [UInt8] = []
        var ascii = true
        func flush() {
            guard !chunk.isEmpty else { return }
            if ascii {
                stemASCII(&chunk)
                terms.append(String(decoding: chunk, as: UTF8.self))
            } else {
                terms += slowTerms(String(decoding: chunk, as: UTF8.self))
            }
            chunk.removeAll(keepingCapacity: true)
            ascii = true
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                chunk.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                chunk.append(byte + 32)
            case 0x80...:
                chunk.append(byte)
                ascii = false
            default:
                flush()
            }
        }
        flush()
        return terms
    }

    /// `terms` by the full rules, for text that is not plain ASCII.
    public static func slowTerms(_ text: String) -> [String] {
        var terms: [String] = []
        for piece in pieces(text) {
            switch piece {
            case .word(let word):
                terms.append(stem(word))
            case .han(let run):
                let characters = run.map(String.init)
                terms += characters
                if characters.count > 1 {
                    for index in 0..<(characters.count - 1) { terms.append(characters[index] + characters[index + 1]) }
                }
            }
        }
        return terms
    }

    /// The shard a term lives in: its first two characters (one for a one-letter term); a Han term's first
    /// character's code point modulo 64 (`~17`), so that thousands of characters make at most 64 files.
    public static func shard(of term: String) -> String {
        guard let first = term.unicodeScalars.first else { return "" }
        if isHan(first) { return "~\(first.value % 64)" }
        return String(term.prefix(2))
    }
}
