import SiteModel
import Synchronization

/// The UI strings of one language (`Templates/strings/<key>.yaml`): what templates read as `{{t.key}}` and the
/// words the engine writes itself (counts, dates, country names, kinds, areas). The default language falls back
/// to built-in English for the engine's words; any other language must define every string it needs, and a
/// missing one is a build error naming the language and the key.
final class Strings: @unchecked Sendable {
    let language: Language
    let table: StringTable
    let isDefault: Bool
    /// Missing strings met while rendering (pages render in parallel, hence the lock).
    private let missing = Mutex<[String: Diagnostic]>([:])

    var problems: [Diagnostic] { missing.withLock { $0 }.sorted { $0.key < $1.key }.map(\.value) }

    init(site: Site, language: Language) {
        self.language = language
        self.table = site.strings[language.key] ?? StringTable(file: "Templates/strings/\(language.key).yaml")
        self.isDefault = language.key == site.config.defaultLanguage.key
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

    /// `text(key)` with `{name}` placeholders filled in.
    func format(_ key: String, fallback: @autoclosure () -> String, _ values: [String: String]) -> String {
        Self.fill(text(key, fallback: fallback()), values)
    }

    /// `pattern` with each `{name}` replaced by its value.
    static func fill(_ pattern: String, _ values: [String: String]) -> String {
        var result = pattern
        for (name, value) in values { result = result.replacing("{\(name)}", with: value) }
        return result
    }

    /// "12 partners in 2 countries".
    func partnerSummary(partners: Int, countries: Int) -> String {
        let p = format(partners == 1 ? "partners.count.one" : "partners.count.other",
                       fallback: partners == 1 ? "{n} partner" : "{n} partners", ["n": String(partners)])
        let c = format(countries == 1 ? "countries.count.one" : "countries.count.other",
                       fallback: countries == 1 ? "{n} country" : "{n} countries", ["n": String(countries)])
        return format("partners.summary", fallback: "{partners} in {countries}", ["partners": p, "countries": c])
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
        if pattern.contains("{month}") { values["month"] = month(number) }
        return Self.fill(pattern, values)
    }

    func country(_ code: String) -> String { text("country.\(code)", fallback: Country.name(for: code) ?? code) }

    func area(_ name: String) -> String { text("area.\(name)", fallback: name) }

    /// The table as templates see it: `{{t.nav.skip}}` walks nested dictionaries (built once, before any
    /// page renders, since pages render in parallel).
    private(set) var context: [String: Any] = [:]

    private static func makeContext(_ table: StringTable) -> [String: Any] {
        var root: [String: Any] = [:]
        for (key, value) in table.values {
            Self.insert(value, at: key.split(separator: ".").map(String.init)[...], into: &root)
        }
        return root
    }

    private static func insert(_ value: String, at path: ArraySlice<String>, into node: inout [String: Any]) {
        guard let first = path.first else { return }
        if path.count == 1 {
            node[first] = value
            return
        }
        var child = node[first] as? [String: Any] ?? [:]
        insert(value, at: path.dropFirst(), into: &child)
        node[first] = child
    }

    /// Every `{{t.key}}` a template uses must exist in every language's table: reported at the tag, naming the
    /// language and the key.
    static func checkTemplates(_ templates: TemplateSet, site: Site) throws(DiagnosticsError) {
        var diagnostics: [Diagnostic] = []
        for source in site.templates {
            for (key, location) in references(in: source) {
                for language in site.config.languages {
                    let table = site.strings[language.key]
                    guard table?.values[key] == nil else { continue }
                    let file = table?.file ?? "Templates/strings/\(language.key).yaml"
                    diagnostics.append(.error(at: location,
                        "language \(language.code) has no string '\(key)'; add it to \(file)"))
                }
            }
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
    }

    /// `t.` keys used in a template, with where.
    static func references(in source: TemplateSource) -> [(String, SourceLocation)] {
        TemplateScanner.tags(in: source.text).compactMap { tag in
            guard tag.kind == .name || tag.kind == .raw, tag.name.hasPrefix("t."), tag.name.count > 2 else { return nil }
            return (String(tag.name.dropFirst(2)), SourceLocation(file: source.path, line: tag.line, column: tag.column))
        }
    }
}
