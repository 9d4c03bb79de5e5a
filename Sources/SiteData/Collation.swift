import Foundation
import SiteModel

/// Orders records the way readers of each language expect: text by the language's collation (Chinese by
/// pinyin, not by code point; accents and case aside in English, then exactly, for a stable order), numbers
/// and dates by value, missing values last, then by id.
public struct Collation: Sendable {
    public let language: Language
    private let locale: Locale

    public init(language: Language) {
        self.language = language
        self.locale = Locale(identifier: language.code)
    }

    /// `a` before `b` in this language's order (text only).
    public func precedes(_ a: String, _ b: String) -> Bool {
        switch a.compare(b, options: [.caseInsensitive], range: nil, locale: locale) {
        case .orderedAscending: return true
        case .orderedDescending: return false
        case .orderedSame: return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
        }
    }

    /// `records` sorted by `keys` (then id); `display` gives a value's text in this language (an enum's
    /// label, a country's name).
    public func sorted(_ records: [Record], by keys: [SortKey], display: (String, FieldValue) -> String) -> [Record] {
        // Each key's text is worked out once per record, not at every comparison.
        let columns: [[Sortable?]] = keys.map { key in
            records.map { record in record.values[key.field].map { Sortable($0, text: display(key.field, $0)) } }
        }
        let order = records.indices.sorted { a, b in
            for (column, key) in zip(columns, keys) {
                switch (column[a], column[b]) {
                case let (x?, y?):
                    if let result = compare(x, y) { return key.descending ? !result : result }
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
        case text(String)
        case number(Double)

        init(_ value: FieldValue, text: String) {
            switch value {
            case .integer(let n): self = .number(Double(n))
            case .number(let n): self = .number(n)
            case .date(let d): self = .number(Double(d.year * 10_000 + d.month * 100 + d.day))
            case .yearMonth(let year, let month): self = .number(Double(year * 100 + (month ?? 0)))
            case .bool(let b): self = .number(b ? 1 : 0)
            default: self = .text(text)
            }
        }
    }

    /// nil when equal.
    func compare(_ a: Sortable, _ b: Sortable) -> Bool? {
        switch (a, b) {
        case let (.number(x), .number(y)): return x == y ? nil : x < y
        case let (.text(x), .text(y)): return x == y ? nil : precedes(x, y)
        case (.number, .text): return true
        case (.text, .number): return false
        }
    }
}
