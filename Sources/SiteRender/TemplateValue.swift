import SiteModel

/// A value as templates see it: what every context the engine builds is made of, and what `TemplateRenderer`
/// renders. Typed (no `Any`, so no dynamic casts while rendering) and `Sendable`.
enum TemplateValue: Sendable, Equatable {
    case text(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    /// A value that is not there (an optional field left out, a page without a date). It renders as nothing,
    /// a section over it as false — and, unlike a missing key, it stops the lookup:
    /// `{{#pages}}{{description}}{{/pages}}` never shows an outer `description` for a page without one
    /// (Mustache looks a missing name up in the enclosing contexts). `empty(x)` of it is true, and `count(x)`
    /// 0, as of an empty list.
    case absent
    case list([TemplateValue])
    case object([String: TemplateValue])

    /// `value` as text, or `absent` when it is nil.
    static func orAbsent(_ value: String?) -> TemplateValue {
        value.map { .text($0) } ?? .absent
    }

    static func orAbsent(_ value: Int?) -> TemplateValue {
        value.map { .int($0) } ?? .absent
    }

    static func orAbsent(_ value: TemplateContext?) -> TemplateValue {
        value.map { .object($0) } ?? .absent
    }

    /// Front matter and data values (`Value`), as templates see them: null is false.
    init(_ value: SiteModel.Value) {
        switch value {
        case .null: self = .bool(false)
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .text(s)
        case .array(let items): self = .list(items.map(TemplateValue.init))
        case .object(let pairs):
            var object: [String: TemplateValue] = [:]
            for (key, item) in pairs { object[key] = TemplateValue(item) }
            self = .object(object)
        }
    }

    /// The mapping this value is, if it is one.
    var object: [String: TemplateValue]? {
        if case .object(let fields) = self { return fields }
        return nil
    }

    /// What `{{value}}` prints (before escaping): text as it is, numbers and true/false as Swift writes them,
    /// nothing for `absent`, and a list or mapping as Swift describes one (mappings with their keys sorted).
    var renderedText: String {
        switch self {
        case .text(let text): text
        case .int(let n): String(n)
        case .double(let d): d.description
        case .bool(let b): b ? "true" : "false"
        case .absent: ""
        case .list, .object: quoted
        }
    }

    /// How the value reads inside a list or mapping that is printed.
    private var quoted: String {
        switch self {
        case .text(let text): text.debugDescription
        case .absent: "nil"
        case .list(let items): "[" + items.map(\.quoted).joined(separator: ", ") + "]"
        case .object(let fields):
            fields.isEmpty ? "[:]" : "[" + fields.keys.sorted().map { $0.debugDescription + ": " + fields[$0]!.quoted }.joined(separator: ", ") + "]"
        default: renderedText
        }
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByStringInterpolation, ExpressibleByIntegerLiteral,
                         ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    init(stringLiteral value: String) { self = .text(value) }
    init(stringInterpolation: DefaultStringInterpolation) { self = .text(String(stringInterpolation: stringInterpolation)) }
    init(integerLiteral value: Int) { self = .int(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
    init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

/// A template context: names to values.
typealias TemplateContext = [String: TemplateValue]

/// Dates as readers see them.
enum DateFormat {
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                         "September", "October", "November", "December"]

    /// `3 February 2024`.
    static func long(_ date: CalendarDate) -> String {
        "\(date.day) \(months[date.month - 1]) \(date.year)"
    }
}
