import Foundation
import SiteModel

/// Reads typed fields out of a mapping (from YAML, JSON or CSV), collecting every problem at the value's
/// position.
public struct FieldReader {
    public let pairs: [(key: DataNode, value: DataNode)]
    public let location: SourceLocation
    /// Problems found so far.
    public var diagnostics: [Diagnostic] = []
    /// Label used in messages, e.g. "front matter" or "site.yaml".
    public let what: String

    public init(_ node: DataNode, what: String, diagnostics: inout [Diagnostic]) {
        self.what = what
        self.location = node.location
        if case .mapping(let pairs) = node.kind {
            self.pairs = pairs
        } else {
            self.pairs = []
            diagnostics.append(.error(at: node.location, "\(what) must be a mapping of 'key: value' lines, found \(node.typeName)"))
        }
    }

    public func node(_ key: String) -> DataNode? { pairs.first { $0.key.scalarText == key }?.value }

    /// Keys not in `known`, each an error naming the key and the nearest known one (or all of them).
    public func unknownKeys(known: [String]) -> [Diagnostic] {
        pairs.compactMap { pair in
            let key = pair.key.scalarText ?? ""
            guard !known.contains(key) else { return nil }
            return .error(at: pair.key.location, "unknown key '\(key)' in \(what)"
                + Suggestion.didYouMean(key, in: known, otherwise: "; known keys are \(known.joined(separator: ", "))"))
        }
    }

    public mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let node = node(key) else {
            if required { diagnostics.append(.error(at: location, "\(what) is missing '\(key)'; add '\(key): ...'")) }
            return nil
        }
        guard let text = node.scalarText else {
            diagnostics.append(.error(at: node.location, "'\(key)' must be text, found \(node.typeName)"))
            return nil
        }
        if required && Self.isBlank(text) {
            diagnostics.append(.error(at: node.location, "'\(key)' must not be empty"))
            return nil
        }
        return text
    }

    /// Nothing but spaces and tabs (Unicode's horizontal spaces): nothing to show.
    static func isBlank(_ text: String) -> Bool {
        if text.utf8.allSatisfy({ $0 < 128 }) { return text.utf8.allSatisfy { $0 == 32 || $0 == 9 } }
        return text.trimmingCharacters(in: .whitespaces).isEmpty
    }

    /// Text that may be given per language: `name: Université de Lille` (the default language's) or
    /// `name: {en: University of Lille, zh: 里尔大学}` (keys are language keys; the default one is required).
    /// Returns the default language's text and the others by key.
    public mutating func localized(_ key: String, languages: [String], required: Bool = false) -> (String?, [String: String]) {
        guard let node = node(key), case .mapping(let pairs) = node.kind else {
            return (string(key, required: required), [:])
        }
        var values: [String: String] = [:]
        for pair in pairs {
            let language = pair.key.scalarText ?? ""
            guard languages.contains(language) else {
                diagnostics.append(.error(at: pair.key.location,
                    "'\(key)' has a text for '\(language)', which is not a language of the site; site.yaml declares \(languages.joined(separator: ", "))"))
                continue
            }
            guard let text = pair.value.scalarText, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                diagnostics.append(.error(at: pair.value.location, "'\(key).\(language)' must be text, found \(pair.value.typeName)"))
                continue
            }
            values[language] = text
        }
        let main = values.removeValue(forKey: languages[0])
        if main == nil && required {
            diagnostics.append(.error(at: node.location, "'\(key)' needs a text in the default language; add '\(languages[0]): ...'"))
        }
        return (main, values)
    }

    public mutating func int(_ key: String, minimum: Int? = nil) -> Int? {
        guard let node = node(key) else { return nil }
        guard let text = node.scalarText, let value = Int(text) else {
            diagnostics.append(.error(at: node.location, "'\(key)' must be a whole number, found \(Self.describe(node))"))
            return nil
        }
        if let minimum, value < minimum {
            diagnostics.append(.error(at: node.location, "'\(key)' must be at least \(minimum), found \(value)"))
            return nil
        }
        return value
    }

    public mutating func bool(_ key: String) -> Bool? {
        guard let node = node(key) else { return nil }
        switch node.scalarText {
        case "true"?: return true
        case "false"?: return false
        default:
            diagnostics.append(.error(at: node.location, "'\(key)' must be true or false, found \(Self.describe(node))"))
            return nil
        }
    }

    public mutating func date(_ key: String) -> CalendarDate? {
        guard let node = node(key) else { return nil }
        guard let text = node.scalarText, let date = CalendarDate(text) else {
            let timed = (node.scalarText?.count ?? 0) > 10
            diagnostics.append(.error(at: node.location, timed
                ? "'\(key)' must be a real date and time like 2021-01-03T15:34:00+00:00 (RFC 3339; or a date, YYYY-MM-DD), found \(Self.describe(node))"
                : "'\(key)' must be a real date YYYY-MM-DD, found \(Self.describe(node))"))
            return nil
        }
        return date
    }

    public static func describe(_ node: DataNode) -> String {
        if let text = node.scalarText { return "\"\(text)\"" }
        return node.typeName
    }
}
