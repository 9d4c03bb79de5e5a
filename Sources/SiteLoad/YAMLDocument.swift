import Foundation
import SiteModel
import Yams

/// A YAML tree whose every value knows where it was written. Built from `Yams.compose`, so scalars keep
/// their source text and the loaders decide their type from the field they fill (`title: NO` stays "NO").
struct YAMLNode {
    enum Kind {
        /// `plain` is false for quoted and block scalars, which are always strings.
        case scalar(String, plain: Bool)
        case sequence([YAMLNode])
        case mapping([(key: YAMLNode, value: YAMLNode)])
    }

    var kind: Kind
    var location: SourceLocation

    var scalarText: String? {
        if case .scalar(let text, _) = kind { return text }
        return nil
    }

    var typeName: String {
        switch kind {
        case .scalar: return "a single value"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// The value under YAML 1.2's core schema: only `true`/`false` are booleans, `null`/`~`/empty are null.
    var value: Value {
        switch kind {
        case .scalar(let text, let plain):
            return plain ? YAMLNode.resolvePlain(text) : .string(text)
        case .sequence(let items):
            return .array(items.map(\.value))
        case .mapping(let pairs):
            return .object(pairs.map { (key: $0.key.scalarText ?? "", value: $0.value.value) })
        }
    }

    static func resolvePlain(_ text: String) -> Value {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let int = Int(text), text.first != "+" || text.count > 1 { return .int(int) }
        let isFloat = text.range(of: #"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"#,
                                 options: .regularExpression) != nil
        if isFloat, let double = Double(text) { return .double(double) }
        return .string(text)
    }
}

/// Parses YAML text into located nodes, reporting syntax errors at their position.
struct YAMLDocument {
    /// The most values a document may expand to. Aliases are expanded when walked, so a few hundred bytes of
    /// nested aliases could otherwise take gigabytes.
    static let maximumValues = 100_000

    /// Parses `text`, whose first line is line `firstLine` of `file`. Returns nil for an empty document.
    static func parse(_ text: String, file: String, firstLine: Int = 1) throws(DiagnosticsError) -> YAMLNode? {
        let node: Node?
        do {
            // The encoding is passed because Yams's default reads the whole process environment on every
            // parse (`YAMS_DEFAULT_ENCODING`): 6% of a 10,000-page build's CPU time.
            node = try Yams.compose(yaml: text, .default, .default, .utf8)
        } catch let error as YamlError {
            throw DiagnosticsError([diagnostic(for: error, file: file, firstLine: firstLine)])
        } catch {
            throw DiagnosticsError([.error(at: SourceLocation(file: file, line: firstLine), "invalid YAML: \(error)")])
        }
        guard let node else { return nil }
        var budget = maximumValues
        guard let result = convert(node, file: file, lineOffset: firstLine - 1, budget: &budget) else {
            throw DiagnosticsError([.error(at: SourceLocation(file: file, line: firstLine),
                "YAML expands to more than \(maximumValues) values (nested aliases?); write the values out or use fewer aliases")])
        }
        return result
    }

    private static func convert(_ node: Node, file: String, lineOffset: Int, budget: inout Int) -> YAMLNode? {
        budget -= 1
        if budget < 0 { return nil }
        let mark = node.mark
        let location = SourceLocation(file: file, line: (mark?.line ?? 1) + lineOffset, column: mark?.column ?? 1)
        switch node {
        case .scalar(let scalar):
            return YAMLNode(kind: .scalar(scalar.string, plain: scalar.style == .plain), location: location)
        case .sequence(let sequence):
            var items: [YAMLNode] = []
            for item in sequence {
                guard let converted = convert(item, file: file, lineOffset: lineOffset, budget: &budget) else { return nil }
                items.append(converted)
            }
            return YAMLNode(kind: .sequence(items), location: location)
        case .mapping(let mapping):
            var pairs: [(key: YAMLNode, value: YAMLNode)] = []
            for (key, value) in mapping {
                guard let k = convert(key, file: file, lineOffset: lineOffset, budget: &budget),
                      let v = convert(value, file: file, lineOffset: lineOffset, budget: &budget) else { return nil }
                pairs.append((k, v))
            }
            return YAMLNode(kind: .mapping(pairs), location: location)
        case .alias:
            return YAMLNode(kind: .scalar("", plain: true), location: location)
        }
    }

    private static func diagnostic(for error: YamlError, file: String, firstLine: Int) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation {
            SourceLocation(file: file, line: mark.line + firstLine - 1, column: mark.column)
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let detail = context.map { " \($0.text)" } ?? ""
            return .error(at: at(mark), "invalid YAML: \(problem)\(detail)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return .error(at: at(context.mark),
                          "duplicate key '\(duplicates.first ?? "")' in a mapping; keep one of them")
        default:
            return .error(at: SourceLocation(file: file, line: firstLine), "invalid YAML: \(error)")
        }
    }
}
