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

    /// `stem` on the lowercase ASCII word `w[0..<n]`, in place: the same rules, without making Strings (the
    /// word may end shorter: `n` is updated).
    static func stemASCII(_ w: inout [UInt8], _ n: inout Int) {
        guard n > 3 else { return }
        func ends(_ suffix: StaticString, _ w: [UInt8], _ n: Int) -> Bool {
            let count = suffix.utf8CodeUnitCount
            guard n >= count else { return false }
            let s = suffix.utf8Start
            for i in 0..<count where w[n - count + i] != s[i] { return false }
            return true
        }
        if ends("ies", w, n) && n > 4 {
            n -= 2
            w[n - 1] = UInt8(ascii: "y")
        } else if ends("sses", w, n) {
            n -= 2
        } else if ends("s", w, n) && !ends("ss", w, n) && !ends("us", w, n) && !ends("is", w, n) {
            n -= 1
        }
        if ends("ing", w, n) && n > 5 {
            n -= 3
        } else if ends("ed", w, n) && n > 4 {
            n -= 2
        }
        if ends("e", w, n) && n > 4 { n -= 1 }
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

    /// The terms `text` is indexed under: stemmed words, Han characters and Han pairs (see `forEachTerm`).
    public static func terms(_ text: String) -> [String] {
        var terms: [String] = []
        forEachTerm(text) { terms.append(String(decoding: $0, as: UTF8.self)) }
        return terms
    }

    /// Each term of `text`, as UTF-8 bytes, in order. Text is cut at ASCII spaces and punctuation, no-break
    /// spaces and General Punctuation (curly quotes, dashes: `separatorLength`) first; a chunk of ASCII
    /// letters and digits (most of an English page) is lowercased and stemmed in place, anything else goes
    /// through the full rules (`slowTerms`): the result is the same, as a test checks on mixed text.
    static func forEachTerm(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            // The word so far, lowercased: word[0..<length].
            var word = [UInt8](repeating: 0, count: 64)
            var length = 0
            var ascii = true
            var index = 0
            let count = bytes.count
            func flush(_ word: inout [UInt8], _ length: inout Int, _ ascii: inout Bool) {
                if ascii {
                    stemASCII(&word, &length)
                    word.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[0..<length])) }
                } else {
                    for term in slowTerms(String(decoding: word[0..<length], as: UTF8.self)) {
                        var term = term
                        term.withUTF8(body)
                    }
                }
                length = 0
                ascii = true
            }
            while index < count {
                let byte = bytes[index]
                var letter = byte
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    break
                case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    letter = byte + 32
                case 0x80...:
                    if let separator = separatorLength(bytes, at: index) {
                        if length > 0 { flush(&word, &length, &ascii) }
                        index += separator
                        continue
                    }
                    ascii = false
                default:
                    if length > 0 { flush(&word, &length, &ascii) }
                    index += 1
                    continue
                }
                if length == word.count { word += [UInt8](repeating: 0, count: word.count) }
                word[length] = letter
                length += 1
                index += 1
            }
            if length > 0 { flush(&word, &length, &ascii) }
        }
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

extension Tokenizer {
    /// Adds `weight` to each term of `text` in `counts` (what `terms` gives, without a String per word: at
    /// 10,000 pages that is ten million words).
    public static func count(_ text: String, weight: Int, into counts: inout TermCounts) {
        forEachTerm(text) { counts.add($0, weight: weight) }
    }

    /// The length of the UTF-8 sequence at `index` when it is a character that only separates words — a
    /// no-break space (U+00A0) or General Punctuation (U+2000–U+206F: spaces, dashes, curly quotes, the
    /// ellipsis, word joiners), none of them a letter or digit — so that text pasted from a word processor
    /// stays on the fast path.
    static func separatorLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        guard index + 1 < bytes.count else { return nil }
        if bytes[index] == 0xC2, bytes[index + 1] == 0xA0 { return 2 }
        guard bytes[index] == 0xE2, index + 2 < bytes.count else { return nil }
        if bytes[index + 1] == 0x80 { return 3 }
        if bytes[index + 1] == 0x81, bytes[index + 2] <= 0xAF { return 3 }
        return nil
    }
}

/// Terms and their summed weights, keyed by the terms' UTF-8 bytes (an open-addressing table over one byte
/// arena: no String, no allocation per word).
public struct TermCounts {
    private var arena: [UInt8] = []
    private var starts: [Int32] = []
    private var lengths: [Int32] = []
    private var hashes: [UInt64] = []
    public private(set) var weights: [Int] = []
    private var slots: [Int32]
    private var mask: Int

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
    }

    public var count: Int { weights.count }

    /// FNV-1a, also what `SearchIndex` buckets shard keys by.
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    public mutating func add(_ term: UnsafeBufferPointer<UInt8>, weight: Int) {
        let (entry, inserted) = index(of: term, hash: Self.hash(term))
        if inserted { weights[entry] = weight } else { weights[entry] += weight }
    }

    /// The entry of `term` (whose `hash` is given), added (with weight 0) if it is new.
    public mutating func index(of term: UnsafeBufferPointer<UInt8>, hash: UInt64) -> (entry: Int, inserted: Bool) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { break }
            if hashes[entry] == hash, Int(lengths[entry]) == term.count, equal(entry, term) { return (entry, false) }
            slot = (slot + 1) & mask
        }
        let entry = weights.count
        slots[slot] = Int32(entry)
        starts.append(Int32(arena.count))
        lengths.append(Int32(term.count))
        hashes.append(hash)
        weights.append(0)
        arena.append(contentsOf: term)
        if weights.count * 2 > slots.count { grow() }
        return (entry, true)
    }

    /// Calls `body` with the bytes and hash of entry `index`.
    public func withTerm<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>, UInt64) -> T) -> T {
        let start = Int(starts[index]), length = Int(lengths[index])
        return arena.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<(start + length)]), hashes[index]) }
    }

    private func equal(_ entry: Int, _ term: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(starts[entry])
        return arena.withUnsafeBufferPointer { arena in
            memcmp(arena.baseAddress! + start, term.baseAddress!, term.count) == 0
        }
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for entry in 0..<weights.count {
            var slot = Int(truncatingIfNeeded: hashes[entry]) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entry)
        }
    }

    /// The term of entry `index`, as a String.
    public func term(_ index: Int) -> String {
        let start = Int(starts[index]), length = Int(lengths[index])
        return String(decoding: arena[start..<(start + length)], as: UTF8.self)
    }

    /// The bucket (of `count`) of the shard of entry `index`, a function of its base shard key
    /// (`Tokenizer.shard(of:)`): for a term that starts with ASCII, the FNV-1a hash of its first two bytes
    /// (terms with the same first two characters have the same first two bytes), without a String;
    /// otherwise the hash of the key itself.
    public func bucket(_ index: Int, count: Int) -> Int {
        let start = Int(starts[index]), length = Int(lengths[index])
        if arena[start] < 0x80 {
            return arena.withUnsafeBufferPointer { arena in
                Int(Self.hash(UnsafeBufferPointer(rebasing: arena[start..<(start + min(2, length))])) % UInt64(count))
            }
        }
        var key = Tokenizer.shard(of: term(index))
        return key.withUTF8 { Int(Self.hash($0) % UInt64(count)) }
    }
}
