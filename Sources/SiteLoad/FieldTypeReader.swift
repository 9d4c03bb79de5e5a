import SiteModel

/// Reads field declarations (`name: text`, `tags: [text]`, `country: {type: text, required: true}`) and
/// values by their declared type, every problem at its position.
enum FieldTypeReader {
    /// One declaration under `params:`.
    static func declaration(key: YAMLNode, value: YAMLNode, diagnostics: inout [Diagnostic]) -> DeclaredField? {
        let name = key.scalarText ?? ""
        var required = false
        var typeNode = value
        if case .mapping = value.kind {
            var fields = FieldReader(value, what: "the declaration of '\(name)'", diagnostics: &diagnostics)
            diagnostics += fields.unknownKeys(known: ["type", "required"])
            required = fields.bool("required") ?? false
            diagnostics += fields.diagnostics
            guard let node = fields.node("type") else {
                diagnostics.append(.error(at: value.location, "the declaration of '\(name)' needs a 'type' (\(FieldType.names.joined(separator: ", ")), or a list like [text])"))
                return nil
            }
            typeNode = node
        }
        guard let type = type(typeNode, diagnostics: &diagnostics) else { return nil }
        return DeclaredField(name: name, type: type, required: required, location: key.location)
    }

    static func type(_ node: YAMLNode, diagnostics: inout [Diagnostic]) -> FieldType? {
        switch node.kind {
        case .scalar(let name, _):
            if let type = FieldType(name: name) { return type }
            diagnostics.append(.error(at: node.location, "unknown field type '\(name)'"
                + Suggestion.didYouMean(name, in: FieldType.names, otherwise: "; use one of \(FieldType.names.joined(separator: ", ")), or a list like [text]")))
            return nil
        case .sequence(let items) where items.count == 1:
            return type(items[0], diagnostics: &diagnostics).map(FieldType.list)
        default:
            diagnostics.append(.error(at: node.location, "a field type is a name (\(FieldType.names.joined(separator: ", "))) or a list of one, like [text]; found \(node.typeName)"))
            return nil
        }
    }

    /// `node` read as `type`, for the field `key`; nil (with a diagnostic) when it is not one.
    static func read(_ node: YAMLNode, as type: FieldType, key: String, diagnostics: inout [Diagnostic]) -> Value? {
        func fail(_ expected: String) -> Value? {
            diagnostics.append(.error(at: node.location, "'\(key)' must be \(expected), found \(FieldReader.describe(node))"))
            return nil
        }
        if case .list(let item) = type {
            guard case .sequence(let items) = node.kind else { return fail("a list like [a, b]") }
            var values: [Value] = []
            for element in items {
                if let value = read(element, as: item, key: key, diagnostics: &diagnostics) { values.append(value) }
            }
            return .array(values)
        }
        guard let text = node.scalarText else { return fail(expectation(type)) }
        switch type {
        case .text:
            return .string(text)
        case .integer:
            return Int(text).map(Value.int) ?? fail(expectation(type))
        case .number:
            return Double(text).flatMap { $0.isFinite ? Value.double($0) : nil } ?? fail(expectation(type))
        case .bool:
            switch text {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return fail(expectation(type))
            }
        case .date:
            return CalendarDate(text).map { .string($0.description) } ?? fail(expectation(type))
        case .url:
            if let problem = WebAddress.problem(text, allowed: [.http, .mailto, .relative]) {
                diagnostics.append(.error(at: node.location, "'\(key)' \(text.debugDescription) is not an http:// or https:// address, a mailto: address or a relative path: \(problem)"))
                return nil
            }
            return .string(text)
        case .list:
            return nil
        }
    }

    static func expectation(_ type: FieldType) -> String {
        switch type {
        case .text: "text"
        case .integer: "a whole number"
        case .number: "a number"
        case .bool: "true or false"
        case .date: "a real date YYYY-MM-DD"
        case .url: "an http:// or https:// address, a mailto: address, or a relative path"
        case .list: "a list like [a, b]"
        }
    }

}
