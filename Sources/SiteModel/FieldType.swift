/// The type of a field a site declares itself: an extra front matter field (`params:` in `site.yaml`).
/// Values are read by the type their field declares, never by how YAML would guess (`NO` as text is "NO").
public indirect enum FieldType: Sendable, Hashable, CustomStringConvertible {
    case text
    case integer
    case number
    case bool
    /// `YYYY-MM-DD`, a real calendar date.
    case date
    /// An `http(s)://` address, a `mailto:` one, or a path relative to the page.
    case url
    case list(FieldType)

    /// The names a declaration may use, in the order messages list them.
    public static let names = ["text", "integer", "number", "bool", "date", "url"]

    public init?(name: String) {
        switch name {
        case "text": self = .text
        case "integer": self = .integer
        case "number": self = .number
        case "bool": self = .bool
        case "date": self = .date
        case "url": self = .url
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .text: "text"
        case .integer: "integer"
        case .number: "number"
        case .bool: "bool"
        case .date: "date"
        case .url: "url"
        case .list(let item): "[\(item)]"
        }
    }
}

/// A field a site declares, with its type and whether every page must have it.
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
}
