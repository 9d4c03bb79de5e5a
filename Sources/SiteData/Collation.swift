import CCollation
import SiteModel
import Synchronization

/// Orders records the way readers of each language expect: text by the language's collation (ICU, from
/// Debian's libicu: Chinese by pinyin, not by code point; in English accents and case count only between
/// texts that are otherwise equal), numbers and dates by value, missing values last, then by id.
///
/// Each text is turned into an ICU sort key once, and keys compare as bytes: sorting 100,000 records costs
/// 100,000 keys, not the 1.7 million locale-aware comparisons a comparison sort would make.
public struct Collation: Sendable {
    public let language: Language
    private let collator: Collator

    public init(language: Language) {
        self.language = language
        self.collator = Collator.shared(for: language.code)
    }

    /// The sort key of `text` in this language: keys compare (`<` on their bytes) as the texts collate.
    public func key(_ text: String) -> [UInt8] {
        collator.key(text)
    }

    /// `a` before `b` in this language's order (text only; the same texts compare by code point).
    public func precedes(_ a: String, _ b: String) -> Bool {
        let x = key(a), y = key(b)
        if x != y { return x.lexicographicallyPrecedes(y) }
        return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }

    /// `records` sorted by `keys` (then id); `display` gives a value's text in this language (an enum's
    /// label, a country's name).
    public func sorted(_ records: [Record], by keys: [SortKey], display: (String, FieldValue) -> String) -> [Record] {
        // Each key's sort key is worked out once per record, not at every comparison.
        let columns: [[Sortable?]] = keys.map { key in
            records.map { record in record.values[key.field].map { Sortable($0, text: display(key.field, $0), collation: self) } }
        }
        let order = records.indices.sorted { a, b in
            for (column, key) in zip(columns, keys) {
                switch (column[a], column[b]) {
                case let (x?, y?):
                    if let result = Self.compare(x, y) { return key.descending ? !result : result }
                case (_?, nil): return true
                case (nil, _?): return false
                case (nil, nil): break
                }
            }
            return records[a].id < records[b].id
        }
        return order.map { records[$0] }
    }

    enum Sortable {
        /// A text's sort key, and the text (for texts the collation finds equal).
        case text([UInt8], String)
        case number(Double)

        init(_ value: FieldValue, text: String, collation: Collation) {
            switch value {
            case .integer(let n): self = .number(Double(n))
            case .number(let n): self = .number(n)
            case .date(let d): self = .number(Double(d.year * 10_000 + d.month * 100 + d.day))
            case .yearMonth(let year, let month): self = .number(Double(year * 100 + (month ?? 0)))
            case .bool(let b): self = .number(b ? 1 : 0)
            default: self = .text(collation.key(text), text)
            }
        }
    }

    /// nil when equal.
    static func compare(_ a: Sortable, _ b: Sortable) -> Bool? {
        switch (a, b) {
        case let (.number(x), .number(y)): return x == y ? nil : x < y
        case let (.text(x, s), .text(y, t)):
            if x != y { return x.lexicographicallyPrecedes(y) }
            return s == t ? nil : s.unicodeScalars.lexicographicallyPrecedes(t.unicodeScalars)
        case (.number, .text): return true
        case (.text, .number): return false
        }
    }
}

/// One ICU collator per locale, opened once and kept for the life of the process (ICU collators may be
/// used from several threads at once for reading, which is all Orbis does).
struct Collator: @unchecked Sendable {
    private let pointer: OpaquePointer?

    private static let cache = Mutex<[String: Collator]>([:])

    static func shared(for locale: String) -> Collator {
        cache.withLock { cache in
            if let collator = cache[locale] { return collator }
            let collator = Collator(pointer: locale.withCString { orbis_collator_open($0) })
            cache[locale] = collator
            return collator
        }
    }

    /// The sort key of `text`; without a collator (ICU could not open one), the text's UTF-8 bytes.
    func key(_ text: String) -> [UInt8] {
        guard let pointer else { return Array(text.utf8) }
        var text = text
        return text.withUTF8 { utf8 -> [UInt8] in
            let base = UnsafeRawPointer(utf8.baseAddress!).assumingMemoryBound(to: CChar.self)
            var key = [UInt8](repeating: 0, count: max(32, utf8.count * 4))
            var length = key.withUnsafeMutableBufferPointer {
                orbis_collator_key(pointer, base, Int32(utf8.count), $0.baseAddress, Int32($0.count))
            }
            if Int(length) > key.count {
                key = [UInt8](repeating: 0, count: Int(length))
                length = key.withUnsafeMutableBufferPointer {
                    orbis_collator_key(pointer, base, Int32(utf8.count), $0.baseAddress, Int32($0.count))
                }
            }
            return Array(key.prefix(Int(length)))
        }
    }
}
