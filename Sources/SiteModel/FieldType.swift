/// The type of a field a site declares itself: a record field of a collection, or an extra front matter field
/// (`params:`). Values are read by the type their field declares, never by how YAML would guess (`NO` as
/// text is "NO"). A new type is added here (its name and description), in `FieldValueReader.read` (how a
/// value of it is read and checked, with its messages), and in `RecordContext.value` (what templates see,
/// and its shape for the template check).
public indirect enum FieldType: Sendable, Hashable, CustomStringConvertible {
    case text
    /// One text, or one per site language (`{en: …, zh: …}`).
    case localized
    /// Inline Markdown, one or one per language, rendered safely (no raw HTML).
    case markdown
    /// Lowercase letters, digits and `-`.
    case slug
    case integer
    case number
    case bool
    /// `YYYY-MM-DD`, a real calendar date.
    case date
    /// A year (`2014`) or a month (`2014-10`).
    case yearMonth
    /// An `http://` or `https://` address (checked as `WebAddress.problem` checks it).
    case url
    case email
    /// An ISO 3166-1 alpha-2 code (`FR`, `NO`: strings stay strings).
    case country
    /// A latitude and longitude (`[45.76, 4.84]` or `{lat: 45.76, lon: 4.84}`).
    case point
    /// One of a closed list of values; each has a label per language in the string tables.
    case enumeration([String])
    /// The id of a record of another collection (or of the same one).
    case reference(String)
    case list(FieldType)
    /// A mapping of named fields, each of its own type (front matter like `author: {name: …, email: …}`),
    /// declared `{name: text, email: email}` or `{type: group, fields: {…}}`.
    case group([DeclaredField])

    /// The names a declaration may use, in the order messages list them.
    public static let names = ["text", "localized", "markdown", "slug", "integer", "number", "bool", "date",
                               "year-month", "url", "email", "country", "point", "enum", "ref", "group"]

    /// A type from its name alone (`enum` and `ref` need more: their values, their collection).
    public init?(name: String) {
        switch name {
        case "text": self = .text
        case "localized": self = .localized
        case "markdown": self = .markdown
        case "slug", "id": self = .slug
        case "integer": self = .integer
        case "number": self = .number
        case "bool": self = .bool
        case "date": self = .date
        case "year-month", "year": self = .yearMonth
        case "url": self = .url
        case "email": self = .email
        case "country": self = .country
        case "point": self = .point
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .text: "text"
        case .localized: "localized"
        case .markdown: "markdown"
        case .slug: "slug"
        case .integer: "integer"
        case .number: "number"
        case .bool: "bool"
        case .date: "date"
        case .yearMonth: "year-month"
        case .url: "url"
        case .email: "email"
        case .country: "country"
        case .point: "point"
        case .enumeration: "enum"
        case .reference(let collection): "ref to \(collection)"
        case .list(let item): "[\(item)]"
        case .group(let fields): "{" + fields.map { "\($0.name): \($0.type)" }.joined(separator: ", ") + "}"
        }
    }

    /// Every detail of the type as text: two types have the same signature exactly when they are equal
    /// (`description` leaves out an enum's values).
    public var signature: String {
        switch self {
        case .enumeration(let values): "enum(" + values.map(JSONText.string).joined(separator: ",") + ")"
        case .reference(let collection): "ref(" + JSONText.string(collection) + ")"
        case .list(let item): "[" + item.signature + "]"
        case .group(let fields): "{" + fields.map(\.signature).joined(separator: ",") + "}"
        default: description
        }
    }

    /// The type of a list's items, or itself.
    public var item: FieldType {
        if case .list(let item) = self { return item.item }
        return self
    }

    public var isList: Bool {
        if case .list = self { return true }
        return false
    }

    /// Whether a value may be given per language.
    public var isLocalizable: Bool { self == .localized || self == .markdown }
}

/// A field a site declares, with its type and whether every record (or page) must have it.
public struct DeclaredField: Sendable, Hashable {
    public var name: String
    public var type: FieldType
    public var required: Bool
    public var location: SourceLocation

    public init(name: String, type: FieldType, required: Bool = false, location: SourceLocation) {
        self.name = name
        self.type = type
        self.required = required
        self.location = location
    }

    /// Everything the declaration says, as text (see `FieldType.signature`).
    public var signature: String {
        JSONText.string(name) + ":" + type.signature + (required ? "!" : "") + "@" + JSONText.string(location.description)
    }
}

/// A value read by its field's type.
public indirect enum FieldValue: Sendable, Hashable {
    case text(String)
    /// The default language's text, and the others by language key.
    case localized(String, [String: String])
    /// Inline Markdown source: the default language's, and the others by language key.
    case markdown(String, [String: String])
    case integer(Int)
    case number(Double)
    case bool(Bool)
    case date(CalendarDate)
    case yearMonth(year: Int, month: Int?)
    case url(String)
    case email(String)
    case country(String)
    case point(latitude: Double, longitude: Double)
    case enumeration(String)
    case reference(String)
    case list([FieldValue])
    /// A group's values by field name (absent optional fields are left out).
    case group([String: FieldValue])

    /// The value as plain text in the language `key` (for sorting, grouping, titles and messages).
    public func text(in key: String) -> String {
        switch self {
        case .text(let text), .url(let text), .email(let text), .country(let text), .enumeration(let text), .reference(let text):
            return text
        case .localized(let main, let others), .markdown(let main, let others):
            return others[key] ?? main
        case .integer(let value): return String(value)
        case .number(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .date(let date): return date.description
        case .yearMonth(let year, let month): return month.map { "\(year)-\($0 < 10 ? "0" : "")\($0)" } ?? String(year)
        case .point(let latitude, let longitude): return "\(latitude), \(longitude)"
        case .list(let items): return items.map { $0.text(in: key) }.joined(separator: ", ")
        case .group(let values): return values.keys.sorted().map { values[$0]!.text(in: key) }.joined(separator: ", ")
        }
    }
}
