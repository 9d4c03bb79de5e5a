import Foundation

/// How text becomes search terms, the same at build time (here) and in the browser (`SearchRuntime.script`
/// implements these rules line for line, and a test runs both on the same text):
///
/// - **Normalized**: NFKC (full-width Ｎｕｒｓｉｎｇ and half-width forms become one), lowercase, accents
///   removed (NFD, then U+0300–U+036F dropped): "Université" and "universite" are one word.
/// - A **word longer than `maximumWordLength`** characters (a pasted data URI, a hash, base64) is no term:
///   it would be one giant entry that any query starting with its letters downloads.
/// - **Words** are runs of letters and digits outside Han; each is **stemmed** by a few English rules (plural
///   -s/-es/-ies, -ing, -ed, a final -e), so "nursing", "nurses" and "nurse" meet.
/// - **Chinese** (Han) has no spaces: each run gives its single characters and its two-character pairs
///   (bigrams), so a two- or three-character word is found by the pairs it contains (渥太华 = 渥太 + 太华)
///   without a dictionary that would miss names (a dictionary segmenter does not know 斯特拉斯堡 or 渥太华;
///   n-grams find every substring, at the cost of a larger index, and rank by how many pairs match).
public enum Tokenizer {
    /// Longer words (in Unicode scalars, after normalization) are not indexed, nor searched for.
    public static let maximumWordLength = 100

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
    @inline(__always)
    static func stemASCII(_ w: UnsafeMutablePointer<UInt8>, _ n: inout Int) {
        guard n > 3 else { return }
        @inline(__always) func ends(_ a: UInt8, _ n: Int) -> Bool { w[n - 1] == a }
        @inline(__always) func ends(_ a: UInt8, _ b: UInt8, _ n: Int) -> Bool { n >= 2 && w[n - 2] == a && w[n - 1] == b }
        @inline(__always) func ends(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ n: Int) -> Bool { n >= 3 && w[n - 3] == a && w[n - 2] == b && w[n - 1] == c }
        let s = UInt8(ascii: "s"), e = UInt8(ascii: "e")
        if ends(UInt8(ascii: "i"), e, s, n) && n > 4 {
            n -= 2
            w[n - 1] = UInt8(ascii: "y")
        } else if ends(s, s, n - 2) && ends(e, s, n) {
            n -= 2
        } else if ends(s, n) && !ends(s, s, n) && !ends(UInt8(ascii: "u"), s, n) && !ends(UInt8(ascii: "i"), s, n) {
            n -= 1
        }
        if ends(UInt8(ascii: "i"), UInt8(ascii: "n"), UInt8(ascii: "g"), n) && n > 5 {
            n -= 3
        } else if ends(e, UInt8(ascii: "d"), n) && n > 4 {
            n -= 2
        }
        if ends(e, n) && n > 4 { n -= 1 }
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
        text.withUTF8 { forEachTerm($0, body) }
    }

    /// `forEachTerm` on UTF-8 `bytes`. (Inlined where it is called, so that `body` is too: it runs once per
    /// word of the site.)
    @inline(__always)
    static func forEachTerm(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard let base = bytes.baseAddress else { return }
        // The word so far, lowercased: word[0..<length].
        var capacity = 64
        var word = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { word.deallocate() }
        var length = 0
        var ascii = true
        var index = 0
        let count = bytes.count
        func grow() {
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            larger.update(from: word, count: length)
            word.deallocate()
            word = larger
            capacity *= 2
        }
        @inline(__always) func flush() {
            if ascii {
                guard length <= maximumWordLength else { length = 0; return }
                stemASCII(word, &length)
                body(UnsafeBufferPointer(start: word, count: length))
            } else {
                for term in slowTerms(String(decoding: UnsafeBufferPointer(start: word, count: length), as: UTF8.self)) {
                    var term = term
                    term.withUTF8(body)
                }
            }
            length = 0
            ascii = true
        }
        let classes = asciiClasses
        while index < count {
            let byte = base[index]
            var letter = classes[Int(byte)]
            if letter > 1 {
                // An ASCII letter or digit: most bytes. Eight at a time while the text lasts: the run of
                // letters and digits found at once, copied lowercased (`| 0x20` on each), no branch per byte.
                if index &+ 8 <= count {
                    var run = 8
                    while run == 8 && index &+ 8 <= count {
                        if length &+ 8 > capacity { grow() }
                        let chunk = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                        run = Self.alphanumericPrefix(chunk)
                        UnsafeMutableRawPointer(word + length).storeBytes(of: chunk | 0x2020_2020_2020_2020, as: UInt64.self)
                        length &+= run
                        index &+= run
                    }
                    continue
                }
            } else if letter == 0 {
                if length > 0 { flush() }
                index &+= 1
                continue
            } else if let separator = separatorLength(bytes, at: index) {
                if length > 0 { flush() }
                index += separator
                continue
            } else {
                // A byte of a longer UTF-8 sequence: the word goes through the full rules.
                letter = byte
                ascii = false
            }
            if length == capacity { grow() }
            word[length] = letter
            length &+= 1
            index &+= 1
        }
        if length > 0 { flush() }
    }

    /// `terms` by the full rules, for text that is not plain ASCII.
    public static func slowTerms(_ text: String) -> [String] {
        var terms: [String] = []
        for piece in pieces(text) {
            switch piece {
            case .word(let word):
                if word.unicodeScalars.count <= maximumWordLength { terms.append(stem(word)) }
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
        var text = text
        text.withUTF8 { count($0, weight: weight, into: &counts) }
    }

    /// `count` on UTF-8 bytes.
    public static func count(_ utf8: UnsafeBufferPointer<UInt8>, weight: Int, into counts: inout TermCounts) {
        forEachTerm(utf8) { counts.add($0, weight: weight) }
    }

    /// Per byte: its lowercase form for an ASCII letter or digit, 0 for the rest of ASCII (a separator),
    /// 1 for a byte of a longer UTF-8 sequence (one comparison per byte in `forEachTerm`).
    /// (A table that lives as long as the process, read through a pointer: no bounds check per byte.)
    nonisolated(unsafe) static let asciiClasses: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for byte in 0...255 {
            switch UInt8(byte) {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): table[byte] = UInt8(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): table[byte] = UInt8(byte) + 32
            case 0x80...: table[byte] = 1
            default: table[byte] = 0
            }
        }
        return UnsafePointer(table)
    }()

    /// How many of the 8 bytes of `chunk` (in memory order) are, from the first, ASCII letters or digits.
    /// Each byte is compared by its range with the high bits of sums that cannot carry into the next byte
    /// (the high bit is cleared first; a byte that had it is no ASCII).
    @inline(__always)
    static func alphanumericPrefix(_ chunk: UInt64) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        let low = chunk & ~high, lower = low | 0x20 &* ones
        let fromA = (lower &+ (0x80 - 0x61) &* ones) & high, pastZ = (lower &+ (0x80 - 0x7B) &* ones) & high
        let from0 = (low &+ (0x80 - 0x30) &* ones) & high, past9 = (low &+ (0x80 - 0x3A) &* ones) & high
        let alphanumeric = (fromA & ~pastZ | from0 & ~past9) & ~chunk & high
        let other = ~alphanumeric & high
        return other == 0 ? 8 : other.trailingZeroBitCount >> 3
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
///
/// Each word of a site goes through `add`, so its hot state — the slots and the list of entries counted in
/// the current document — lives in memory this table owns (no uniqueness or bounds check per word), and a
/// document's weights are kept in the slots themselves: finding a word's slot is then the one memory read a
/// word costs. Not copyable: one owner fills it.
public struct TermCounts: ~Copyable {
    private var arena: [UInt8] = []
    private var starts: [Int32] = []
    private var lengths: [Int32] = []
    private var hashes: [UInt64] = []
    private var slots: UnsafeMutablePointer<Slot>
    private var mask: Int
    /// The slots whose weight is not zero, in the order they got one (`countedCapacity` allocated).
    private var counted: UnsafeMutablePointer<Int32>
    private var countedCount = 0, countedCapacity = 256
    /// Where `takeCounted` puts the weights it appends (`scratchCapacity` allocated).
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity = 256

    /// A slot of the table: the entry's first 8 bytes (zero-padded), the entry (-1: empty), and in `meta`
    /// the hash's top byte, the length (up to 255) and the weight counted since the last `takeCounted`
    /// (saturating at 65,535; the index keeps at most `SearchIndex.maximumWeight`). A term of up to 8 bytes is
    /// found without reading the arena.
    private struct Slot {
        var prefix: UInt64
        var entry: Int32
        var meta: UInt32
        static let empty = Slot(prefix: 0, entry: -1, meta: 0)
    }
    private static let weightBits: UInt32 = 0xFFFF

    public init(capacity: Int = 1024) {
        var size = 16
        while size * 3 < capacity * 4 { size <<= 1 }
        slots = .allocate(capacity: size)
        slots.initialize(repeating: .empty, count: size)
        mask = size - 1
        counted = .allocate(capacity: countedCapacity)
        scratch = .allocate(capacity: scratchCapacity)
    }

    deinit {
        slots.deallocate()
        counted.deallocate()
        scratch.deallocate()
    }

    public var count: Int { hashes.count }

    /// Up to the first 8 bytes at `bytes`, little-endian, zero-padded.
    @inline(__always)
    static func load(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        let raw = UnsafeRawPointer(bytes)
        if count >= 8 { return raw.loadUnaligned(as: UInt64.self) }
        if count >= 4 {
            // Two overlapping halves: the bytes they share are the same.
            let low = UInt64(raw.loadUnaligned(as: UInt32.self))
            let high = UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
            return low | high << (8 * UInt64(count - 4))
        }
        guard count > 0 else { return 0 }
        let middle = count >> 1
        return UInt64(bytes[0]) | UInt64(bytes[middle]) << (8 * UInt64(middle)) | UInt64(bytes[count - 1]) << (8 * UInt64(count - 1))
    }

    /// The first 8 bytes of `bytes` as `load` reads them (0 for none).
    @inline(__always)
    static func prefix(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        bytes.isEmpty ? 0 : load(bytes.baseAddress!, bytes.count)
    }

    /// A hash of the bytes, eight at a time (multiply and shift; a table's hash, not a digest).
    @inline(__always)
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        hash(bytes, prefix: prefix(bytes))
    }

    /// `hash`, given the first 8 bytes as `load` gives them.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, prefix: UInt64) -> UInt64 {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return 0x9E37_79B9_7F4A_7C15 }
        var hash = (UInt64(count) &* 0x9E37_79B9_7F4A_7C15 ^ prefix) &* 0xBF58_476D_1CE4_E5B9
        hash ^= hash >> 31
        var i = 8
        while i < count {
            hash = (hash ^ load(base + i, min(8, count - i))) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            i += 8
        }
        hash = hash &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 32)
    }

    /// What a slot's `meta` holds besides the weight, for a term of `length` bytes with `hash`.
    @inline(__always)
    private static func tag(hash: UInt64, length: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: hash >> 56) << 24 | UInt32(min(length, 255)) << 16
    }

    @inline(__always)
    public mutating func add(_ term: UnsafeBufferPointer<UInt8>, weight: Int) {
        let prefix = Self.prefix(term)
        let slot = self.slot(of: term, hash: Self.hash(term, prefix: prefix), prefix: prefix)
        let meta = slots[slot].meta, counted = meta & Self.weightBits
        if counted == 0 {
            if countedCount == countedCapacity { growCounted() }
            self.counted[countedCount] = Int32(slot)
            countedCount &+= 1
        }
        slots[slot].meta = meta & ~Self.weightBits | min(counted &+ UInt32(min(max(weight, 0), 0xFFFF)), Self.weightBits)
    }

    /// The weight entry `entry` was given since the last `takeCounted`.
    public func weight(_ entry: Int) -> Int {
        var slot = Int(truncatingIfNeeded: hashes[entry]) & mask
        while slots[slot].entry != Int32(entry) { slot = (slot + 1) & mask }
        return Int(slots[slot].meta & Self.weightBits)
    }

    /// Appends each entry `add` gave weight to since the last call (in the order first added to) to
    /// `entries`, and its weight, at most `maximum`, to `weights`; and sets those weights back to zero: one
    /// table serves a run of documents, each document's counts taken as it ends.
    public mutating func takeCounted(into entries: inout [Int32], _ weights: inout [UInt8], maximum: UInt8) {
        // Written over `counted` (each slot read once) and into `scratch`, then appended at once.
        if scratchCapacity < countedCount {
            scratch.deallocate()
            scratchCapacity = countedCapacity
            scratch = .allocate(capacity: scratchCapacity)
        }
        for index in 0..<countedCount {
            let slot = Int(counted[index])
            let meta = slots[slot].meta
            counted[index] = slots[slot].entry
            scratch[index] = UInt8(min(meta & Self.weightBits, UInt32(maximum)))
            slots[slot].meta = meta & ~Self.weightBits
        }
        entries.append(contentsOf: UnsafeBufferPointer(start: counted, count: countedCount))
        weights.append(contentsOf: UnsafeBufferPointer(start: scratch, count: countedCount))
        countedCount = 0
    }

    /// The entry of `term` (whose `hash` is given), added (with weight 0) if it is new.
    public mutating func index(of term: UnsafeBufferPointer<UInt8>, hash: UInt64) -> (entry: Int, inserted: Bool) {
        let entries = count
        let entry = Int(slots[slot(of: term, hash: hash, prefix: Self.prefix(term))].entry)
        return (entry, count > entries)
    }

    /// The slot of `term`, which is added if it is new.
    @inline(__always)
    private mutating func slot(of term: UnsafeBufferPointer<UInt8>, hash: UInt64, prefix: UInt64) -> Int {
        var slot = Int(truncatingIfNeeded: hash) & mask
        let length = term.count, tag = Self.tag(hash: hash, length: length)
        while true {
            let candidate = slots[slot]
            if candidate.entry < 0 { break }
            if candidate.meta & ~Self.weightBits == tag, candidate.prefix == prefix,
               length <= 8 || rest(of: Int(candidate.entry), equals: term) {
                return slot
            }
            slot = (slot + 1) & mask
        }
        let entry = hashes.count
        slots[slot] = Slot(prefix: prefix, entry: Int32(entry), meta: tag)
        starts.append(Int32(arena.count))
        lengths.append(Int32(length))
        hashes.append(hash)
        arena.append(contentsOf: term)
        // Up to three quarters full: a run of documents' terms (about 12,000 at 10,000 pages) then fit in
        // 16,384 slots of 16 bytes (256 KB, within a core's second-level cache here).
        if hashes.count * 4 > (mask + 1) * 3 {
            grow()
            slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot].entry != Int32(entry) { slot = (slot + 1) & mask }
        }
        return slot
    }

    /// Whether entry `entry` is `term`, given that their first 8 bytes are the same.
    private func rest(of entry: Int, equals term: UnsafeBufferPointer<UInt8>) -> Bool {
        guard Int(lengths[entry]) == term.count else { return false }
        return arena.withUnsafeBufferPointer { memcmp($0.baseAddress! + Int(starts[entry]) + 8, term.baseAddress! + 8, term.count - 8) == 0 }
    }

    /// Calls `body` with the bytes and hash of entry `index`.
    public func withTerm<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>, UInt64) -> T) -> T {
        let start = Int(starts[index]), length = Int(lengths[index])
        return arena.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<(start + length)]), hashes[index]) }
    }

    /// Twice the slots, each entry's slot moved to where its hash now leads (and the counted list with it).
    private mutating func grow() {
        let old = slots, oldSize = mask + 1
        slots = .allocate(capacity: oldSize * 2)
        slots.initialize(repeating: .empty, count: oldSize * 2)
        mask = oldSize * 2 - 1
        for index in 0..<oldSize where old[index].entry >= 0 {
            var slot = Int(truncatingIfNeeded: hashes[Int(old[index].entry)]) & mask
            while slots[slot].entry >= 0 { slot = (slot + 1) & mask }
            slots[slot] = old[index]
        }
        for index in 0..<countedCount {
            let entry = old[Int(counted[index])].entry
            var slot = Int(truncatingIfNeeded: hashes[Int(entry)]) & mask
            while slots[slot].entry != entry { slot = (slot + 1) & mask }
            counted[index] = Int32(slot)
        }
        old.deallocate()
    }

    private mutating func growCounted() {
        let larger = UnsafeMutablePointer<Int32>.allocate(capacity: countedCapacity * 2)
        larger.update(from: counted, count: countedCount)
        counted.deallocate()
        counted = larger
        countedCapacity *= 2
    }

    /// The term of entry `index`, as a String.
    public func term(_ index: Int) -> String {
        let start = Int(starts[index]), length = Int(lengths[index])
        return String(decoding: arena[start..<(start + length)], as: UTF8.self)
    }
}
