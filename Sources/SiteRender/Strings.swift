import SiteModel
import Synchronization

/// The UI strings of one language (`Templates/strings/<key>.yaml`): what templates read as `{{t.key}}` and the
/// words the engine writes itself (dates, country names, enum labels, collections' summaries and formats). The default language falls back
/// to built-in English for the engine's words; any other language must define every string it needs, and a
/// missing one is a build error naming the language and the key.
final class Strings: @unchecked Sendable {
    let language: Language
    let table: StringTable
    /// The default language's table (a summary exists when it writes one).
    let defaultTable: StringTable
    let isDefault: Bool
    /// Missing strings met while rendering (pages render in parallel, hence the lock).
    private let missing = Mutex<[String: Diagnostic]>([:])

    var problems: [Diagnostic] { missing.withLock { $0 }.sorted { $0.key < $1.key }.map(\.value) }

    init(site: Site, language: Language) {
        self.language = language
        self.table = site.strings[language.key] ?? StringTable(file: "Templates/strings/\(language.key).yaml")
        self.isDefault = language.key == site.config.defaultLanguage.key
        self.defaultTable = site.strings[site.config.defaultLanguage.key] ?? StringTable(file: "")
        self.context = Self.makeContext(table)
    }

    /// The string `key`; `fallback` (built-in English) serves only the default language.
    func text(_ key: String, fallback: @autoclosure () -> String) -> String {
        if let value = table.values[key] { return value }
        if isDefault { return fallback() }
        let file = table.file, code = language.code
        missing.withLock { missing in
            if missing[key] == nil {
                missing[key] = .error(at: .file(file), "language \(code) has no string '\(key)'; add it to \(file)")
            }
        }
        return fallback()
    }

    /// The string `key` when the site writes it: another language needs it only if the default one has it
    /// (else every language gets `fallback`).
    func optional(_ key: String, fallback: @autoclosure () -> String) -> String {
        if table.values[key] == nil && defaultTable.values[key] == nil { return fallback() }
        return text(key, fallback: fallback())
    }

    /// `text(key)` with `{name}` placeholders filled in.
    func format(_ key: String, fallback: @autoclosure () -> String, _ values: [String: String]) -> String {
        Self.fill(text(key, fallback: fallback()), values)
    }

    /// `pattern` with each `{name}` replaced by its value.
    /// Whether `text` holds `needle`'s bytes.
    static func has(_ needle: StaticString, in text: String) -> Bool {
        let wanted = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= wanted.count else { return false }
            for start in 0...(bytes.count - wanted.count) where bytes[start] == wanted[0] {
                if (1..<wanted.count).allSatisfy({ bytes[start + $0] == wanted[$0] }) { return true }
            }
            return false
        }
    }

    static func fill(_ pattern: String, _ values: [String: String]) -> String {
        // One pass over the pattern (a value is never searched for placeholders itself).
        guard pattern.utf8.contains(UInt8(ascii: "{")) else { return pattern }
        var result = ""
        result.reserveCapacity(pattern.utf8.count + 16)
        var rest = pattern[...]
        // On bytes: braces are ASCII.
        while let open = rest.utf8.firstIndex(of: UInt8(ascii: "{")) {
            result += rest[..<open]
            let after = rest.utf8.index(after: open)
            guard let close = rest.utf8[after...].firstIndex(where: { $0 == UInt8(ascii: "}") || $0 == UInt8(ascii: "{") }),
                  rest.utf8[close] == UInt8(ascii: "}"), let value = values[String(rest[after..<close])] else {
                result.append("{")
                rest = rest[after...]
                continue
            }
            result += value
            rest = rest[rest.utf8.index(after: close)...]
        }
        result += rest
        return result
    }

    /// A collection's summary in this language, from its strings: `<name>.summary` with `{count}` (from
    /// `<name>.count.one`/`.other`, each with `{n}`) and `{groups}` (from `<name>.groups.one`/`.other`), or
    /// `<name>.filtered` with `{summary}` and `{value}` on a value's page. None when the default language's
    /// table has no `<name>.summary`: a site that wants one writes it.
    func summary(of collection: String, count: Int, groups: Int?, filteredBy value: String?) -> String? {
        guard defaultHasSummary(collection) else { return nil }
        let items = plural("\(collection).count", count)
        let groupText = groups.map { plural("\(collection).groups", $0) } ?? ""
        let summary = format("\(collection).summary", fallback: "{count}", ["count": items, "groups": groupText])
        guard let value else { return summary }
        return Self.fill(optional("\(collection).filtered", fallback: "{summary}"), ["summary": summary, "value": value])
    }

    /// `<key>.one` or `<key>.other` (by `n`) with `{n}` filled, or `fallback`'s when the site has neither.
    func plural(_ key: String, _ n: Int, fallback: @autoclosure () -> String = "{n}") -> String {
        Self.fill(optional("\(key).\(n == 1 ? "one" : "other")", fallback: fallback()), ["n": String(n)])
    }

    /// Whether the site's default language gives the collection a summary.
    private func defaultHasSummary(_ collection: String) -> Bool {
        (isDefault ? table : defaultTable).values["\(collection).summary"] != nil
    }

    /// A collection's formats in this language: `<collection>.format.<name>` strings, patterns whose
    /// `{field}` placeholders a record's values fill (`{city}, {country}`; `{country}{city}` in Chinese), by name.
    func formats(of collection: String) -> [(String, String)] {
        let prefix = collection + ".format."
        let names = (isDefault ? table : defaultTable).values.keys.filter { $0.hasPrefix(prefix) }.sorted()
        return names.map { key in (String(key.dropFirst(prefix.count)), text(key, fallback: defaultTable.values[key] ?? "")) }
    }

    /// The names of each collection's formats (from the default language's table), for the template check.
    static func formatNames(_ site: Site) -> [String: [String]] {
        let table = site.strings[site.config.defaultLanguage.key]?.values ?? [:]
        var result: [String: [String]] = [:]
        for collection in site.collections {
            let prefix = collection.spec.name + ".format."
            result[collection.spec.name] = table.keys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }.sorted()
        }
        return result
    }

    /// An enum value's label: `<collection>.<field>.<value>`, else (default language) the value in words.
    func label(_ collection: String, _ field: String, _ value: String) -> String {
        text("\(collection).\(field).\(value)", fallback: Self.words(value))
    }

    /// `health-authority` → `Health authority`.
    static func words(_ value: String) -> String {
        let words = value.split(separator: "-").joined(separator: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    func month(_ number: Int) -> String {
        text("month.\(number)", fallback: DateFormat.months[number - 1])
    }

    /// `3 February 2024`, or the language's `date.long`.
    func date(_ date: CalendarDate) -> String {
        dated("date.long", fallback: "{day} {month} {year}", day: date.day, month: date.month, year: date.year)
    }

    /// `October 2014`, or the language's `date.month_year`.
    func monthYear(year: Int, month number: Int) -> String {
        dated("date.month_year", fallback: "{month} {year}", day: nil, month: number, year: year)
    }

    /// A date pattern with `{day}`, `{month}` (the month's name, asked for only when the pattern uses it),
    /// `{month_number}` and `{year}`.
    private func dated(_ key: String, fallback: String, day: Int?, month number: Int, year: Int) -> String {
        let pattern = text(key, fallback: fallback)
        var values = ["month_number": String(number), "year": String(year)]
        if let day { values["day"] = String(day) }
        if Self.has("{month}", in: pattern) { values["month"] = month(number) }
        return Self.fill(pattern, values)
    }

    func country(_ code: String) -> String { text("country.\(code)", fallback: Country.name(for: code) ?? code) }


    /// The table as templates see it: `{{t.nav.skip}}` walks nested dictionaries (built once, before any
    /// page renders, since pages render in parallel).
    private(set) var context: TemplateContext = [:]

    private static func makeContext(_ table: StringTable) -> TemplateContext {
        var root: TemplateContext = [:]
        for (key, value) in table.values {
            Self.insert(value, at: key.split(separator: ".").map(String.init)[...], into: &root)
        }
        return root
    }

    private static func insert(_ value: String, at path: ArraySlice<String>, into node: inout TemplateContext) {
        guard let first = path.first else { return }
        if path.count == 1 {
            node[first] = .text(value)
            return
        }
        var child = node.removeValue(forKey: first)?.object ?? [:]
        insert(value, at: path.dropFirst(), into: &child)
        node[first] = .object(child)
    }

    /// Every `{{t.key}}` a template uses must exist in every language's table: reported at the tag, naming the
    /// language and the key.
    static func checkTemplates(_ templates: TemplateSet, site: Site) throws(DiagnosticsError) {
        var diagnostics = checkLabels(site.collections, strings: site.strings, config: site.config)
        for (key, location) in templates.stringReferences() {
            for language in site.config.languages {
                let table = site.strings[language.key]
                guard table?.values[key] == nil else { continue }
                let file = table?.file ?? "Templates/strings/\(language.key).yaml"
                let nearest = table.flatMap { Suggestion.nearest(to: key, in: $0.values.keys.sorted()) }
                diagnostics.append(.error(at: location, "language \(language.code) has no string '\(key)'"
                    + (nearest.map { "; did you mean 't.\($0)'? (or add '\(key)' to \(file))" } ?? "; add it to \(file)")))
            }
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
    }

    /// Record values shown through the string tables — an enum value (`<collection>.<field>.<value>`), a
    /// country (`country.<code>`) — need a label in every language but the default (which has built-in
    /// words): a missing one is reported at the data line that uses it, with the nearest label the table has,
    /// since it is more often a typo in the data than a missing string.
    static func checkLabels(_ collections: [LoadedCollection], strings: [String: StringTable], config: SiteConfig) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for language in config.languages.dropFirst() {
            guard let table = strings[language.key] else { continue }
            for collection in collections {
                let spec = collection.spec
                for field in spec.fields {
                    let prefix: String
                    switch field.type.item {
                    case .enumeration: prefix = "\(spec.name).\(field.name)"
                    case .country: prefix = "country"
                    default: continue
                    }
                    let known = table.values.keys.filter { $0.hasPrefix(prefix + ".") }.map { String($0.dropFirst(prefix.count + 1)) }.sorted()
                    var reported: Set<String> = []
                    for record in collection.records {
                        let values: [FieldValue] = if case .list(let items)? = record.values[field.name] { items } else { record.values[field.name].map { [$0] } ?? [] }
                        for (index, value) in values.enumerated() {
                            let name = value.text(in: "")
                            let key = prefix + "." + name
                            guard table.values[key] == nil, reported.insert(name).inserted else { continue }
                            let at = record.locations["\(field.name).\(index)"] ?? record.locations[field.name] ?? record.location
                            // The value itself was checked against its field; a near label is a typo in the table.
                            let nearest = Suggestion.nearest(to: name, in: known)
                            let what = field.type.item == .country ? "country" : "'\(field.name)'"
                            diagnostics.append(.error(at: at, "\(spec.singular) '\(record.id)': \(what) '\(name)' has no label in \(language.code); add '\(key): …' to \(table.file)"
                                + (nearest.map { " (it has '\(prefix).\($0)': a typo?)" } ?? "")))
                        }
                    }
                }
            }
        }
        return diagnostics
    }


}
