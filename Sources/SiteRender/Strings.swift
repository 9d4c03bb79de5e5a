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
        var diagnostics = checkPartnerLabels(site.partners, strings: site.strings, config: site.config)
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

    /// Partner values shown through the string tables (`kind.<kind>`, `level.<level>`, `country.<code>`,
    /// `area.<name>`) need a label in every language but the default (which has built-in English): a missing
    /// one is reported at the data line that uses it, with the nearest label the table has, since it is more
    /// often a typo in the data than a missing string.
    static func checkPartnerLabels(_ partners: [Partner], strings: [String: StringTable], config: SiteConfig) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for language in config.languages.dropFirst() {
            guard let table = strings[language.key] else { continue }
            var seen: Set<String> = []
            func need(_ prefix: String, _ value: String, _ what: String, at location: SourceLocation?, of partner: Partner) {
                let key = prefix + "." + value
                guard table.values[key] == nil, seen.insert(key + "@" + partner.id).inserted else { return }
                let known = table.values.keys.filter { $0.hasPrefix(prefix + ".") }.map { String($0.dropFirst(prefix.count + 1)) }.sorted()
                let nearest = Suggestion.nearest(to: value, in: known)
                let message = nearest.map { "partner '\(partner.id)': \(what) '\(value)' has no label in \(language.code); did you mean '\($0)'? (or add '\(key)' to \(table.file))" }
                    ?? "partner '\(partner.id)': \(what) '\(value)' has no label in \(language.code); add '\(key): …' to \(table.file)"
                diagnostics.append(.error(at: location ?? partner.location, message))
            }
            for partner in partners {
                if let kind = partner.kind { need("kind", kind, "kind", at: partner.locations["kind"], of: partner) }
                need("country", partner.country, "country", at: partner.locations["country"], of: partner)
                for (index, area) in partner.areas.enumerated() { need("area", area, "area", at: partner.locations["areas.\(index)"], of: partner) }
                for (index, program) in partner.programs.enumerated() {
                    if let level = program.level { need("level", level, "level", at: partner.locations["programs.\(index).level"], of: partner) }
                }
            }
        }
        return diagnostics
    }


}
