/// A tree of data whose every value knows where it was written: read from YAML (through `Yams.compose`),
/// JSON or CSV, so that scalars keep their source text and the readers decide their type from the field
/// they fill (`title: NO` stays "NO").
public struct DataNode: Sendable {
    public enum Kind: Sendable {
        /// `plain` is false for quoted and block scalars, which are always strings.
        case scalar(String, plain: Bool)
        case sequence([DataNode])
        case mapping([(key: DataNode, value: DataNode)])
    }

    public var kind: Kind
    public var location: SourceLocation

    public init(kind: Kind, location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    public var scalarText: String? {
        if case .scalar(let text, _) = kind { return text }
        return nil
    }

    public var typeName: String {
        switch kind {
        case .scalar: return "a single value"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// The value under YAML 1.2's core schema: only `true`/`false` are booleans, `null`/`~`/empty are null.
    public var value: Value {
        switch kind {
        case .scalar(let text, let plain):
            return plain ? DataNode.resolvePlain(text) : .string(text)
        case .sequence(let items):
            return .array(items.map(\.value))
        case .mapping(let pairs):
            return .object(pairs.map { (key: $0.key.scalarText ?? "", value: $0.value.value) })
        }
    }

    public static func resolvePlain(_ text: String) -> Value {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let int = Int(text), text.first != "+" || text.count > 1 { return .int(int) }
        if isDecimal(text), let double = Double(text) { return .double(double) }
        return .string(text)
    }
}

extension DataNode {
    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`: YAML 1.2's core schema floats (no `nan`, `inf`).
    public static func isDecimal(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let whole = bytes.prefix { $0 >= 48 && $0 <= 57 }
        bytes = bytes.dropFirst(whole.count)
        var fraction = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            let digits = bytes.prefix { $0 >= 48 && $0 <= 57 }
            fraction = digits.count
            bytes = bytes.dropFirst(fraction)
        }
        guard whole.count + fraction > 0 else { return false }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            let exponent = bytes.prefix { $0 >= 48 && $0 <= 57 }
            guard !exponent.isEmpty else { return false }
            bytes = bytes.dropFirst(exponent.count)
        }
        return bytes.isEmpty
    }

    /// The value under `key` of a mapping.
    public subscript(key: String) -> DataNode? {
        guard case .mapping(let pairs) = kind else { return nil }
        return pairs.first { $0.key.scalarText == key }?.value
    }
}
