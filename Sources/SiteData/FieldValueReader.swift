import Foundation
import SiteModel

/// Reads values by their declared type, every problem at its position; and field declarations themselves
/// (`name: text`, `tags: [text]`, `country: {type: country, required: true}`, `kind: {type: enum, values:
/// […]}`, `speakers: {type: [ref], to: people}`).
public struct FieldValueReader: Sendable {
    /// The site's language keys, the default first (for localized text).
    public var languages: [String]
    /// Split a text given for a list field at `;` (a spreadsheet cell holds a list that way).
    public var splitLists = false

    public init(languages: [String], splitLists: Bool = false) {
        self.languages = languages
        self.splitLists = splitLists
    }

    // MARK: Declarations

    /// One field declaration. `known` are the collections a reference may name (nil: references not allowed).
    public static func declaration(key: DataNode, value: DataNode, diagnostics: inout [Diagnostic]) -> DeclaredField? {
        let name = key.scalarText ?? ""
        var required = false
        var typeNode = value
        var values: DataNode?
        var target: DataNode?
        var members: DataNode?
        if case .mapping(let pairs) = value.kind {
            let keys = pairs.compactMap { $0.key.scalarText }
            if !keys.contains("type"), keys.contains(where: { !declarationKeys.contains($0) }) {
                // `{name: text, email: email}`: a group of fields, each declared like a field.
                guard let group = group(value, name: name, diagnostics: &diagnostics) else { return nil }
                return DeclaredField(name: name, type: group, location: key.location)
            }
            var fields = FieldReader(value, what: "the declaration of '\(name)'", diagnostics: &diagnostics)
            diagnostics += fields.unknownKeys(known: declarationKeys)
            required = fields.bool("required") ?? false
            diagnostics += fields.diagnostics
            guard let node = fields.node("type") else {
                diagnostics.append(.error(at: value.location, "the declaration of '\(name)' needs a 'type' (\(FieldType.names.joined(separator: ", ")), or a list like [text])"))
                return nil
            }
            typeNode = node
            values = fields.node("values")
            target = fields.node("to")
            members = fields.node("fields")
        }
        if typeNode.scalarText == "group" {
            guard let members else {
                diagnostics.append(.error(at: typeNode.location, "a group needs its fields, like {type: group, fields: {name: text, email: email}}"))
                return nil
            }
            guard let group = group(members, name: name, diagnostics: &diagnostics) else { return nil }
            return DeclaredField(name: name, type: group, required: required, location: key.location)
        }
        if let members { diagnostics.append(.error(at: members.location, "'fields' belongs to a group ({type: group, fields: {…}})")) }
        guard let type = type(typeNode, values: values, target: target, diagnostics: &diagnostics) else { return nil }
        return DeclaredField(name: name, type: type, required: required, location: key.location)
    }

    static let declarationKeys = ["type", "required", "values", "to", "fields"]

    /// The fields of a group, `{name: text, email: {type: email, required: true}}`.
    static func group(_ node: DataNode, name: String, diagnostics: inout [Diagnostic]) -> FieldType? {
        guard case .mapping(let pairs) = node.kind, !pairs.isEmpty else {
            diagnostics.append(.error(at: node.location, "the fields of the group '\(name)' are a mapping of names to types, like {name: text, email: email}; found \(node.typeName)"))
            return nil
        }
        var fields: [DeclaredField] = []
        var failed = false
        for pair in pairs {
            let member = pair.key.scalarText ?? ""
            guard !member.isEmpty, member.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
                diagnostics.append(.error(at: pair.key.location, "a field name is letters, digits, '_' and '-', found \"\(member)\""))
                failed = true
                continue
            }
            guard let field = declaration(key: pair.key, value: pair.value, diagnostics: &diagnostics) else { failed = true; continue }
            if case .reference = field.type.item {
                diagnostics.append(.error(at: pair.value.location, "a field inside a group cannot refer to records; declare '\(member)' as a field of its own"))
                failed = true
                continue
            }
            fields.append(field)
        }
        return failed ? nil : .group(fields)
    }

    static func type(_ node: DataNode, values: DataNode?, target: DataNode?, diagnostics: inout [Diagnostic]) -> FieldType? {
        switch node.kind {
        case .scalar(let name, _):
            if name == "enum" {
                guard let values, case .sequence(let items) = values.kind, !items.isEmpty else {
                    diagnostics.append(.error(at: (values ?? node).location, "an enum needs its values, like {type: enum, values: [university, faculty]}"))
                    return nil
                }
                var list: [String] = []
                for item in items {
                    guard let text = item.scalarText, isSlug(text) else {
                        diagnostics.append(.error(at: item.location, "an enum value is a slug (lowercase letters, digits and '-', like health-authority), found \(FieldReader.describe(item))"))
                        continue
                    }
                    if list.contains(text) { diagnostics.append(.error(at: item.location, "the enum value '\(text)' is listed twice")) }
                    list.append(text)
                }
                return .enumeration(list)
            }
            if name == "ref" {
                guard let collection = target?.scalarText, !collection.isEmpty else {
                    diagnostics.append(.error(at: (target ?? node).location, "a reference names its collection, like {type: ref, to: people}"))
                    return nil
                }
                return .reference(collection)
            }
            if values != nil { diagnostics.append(.error(at: values!.location, "'values' belongs to an enum ({type: enum, values: […]})")) }
            if target != nil { diagnostics.append(.error(at: target!.location, "'to' belongs to a reference ({type: ref, to: people})")) }
            if let type = FieldType(name: name) { return type }
            diagnostics.append(.error(at: node.location, "unknown field type '\(name)'"
                + Suggestion.didYouMean(name, in: FieldType.names, otherwise: "; use one of \(FieldType.names.joined(separator: ", ")), or a list like [text]")))
            return nil
        case .sequence(let items) where items.count == 1:
            return type(items[0], values: values, target: target, diagnostics: &diagnostics).map(FieldType.list)
        default:
            diagnostics.append(.error(at: node.location, "a field type is a name (\(FieldType.names.joined(separator: ", "))) or a list of one, like [text]; found \(node.typeName)"))
            return nil
        }
    }

    // MARK: Values

    /// `node` read as `type` for the field `key`; nil (with a diagnostic, prefixed with `label`) when it is
    /// not one. `item` says which list item it is, for messages.
    public func read(_ node: DataNode, as type: FieldType, key: String, label: String = "",
                     diagnostics: inout [Diagnostic]) -> FieldValue? {
        let prefix = label.isEmpty ? "" : label + ": "
        func fail(_ message: String, at location: SourceLocation? = nil) -> FieldValue? {
            diagnostics.append(.error(at: location ?? node.location, prefix + message))
            return nil
        }
        func expected(_ what: String) -> FieldValue? { fail("'\(key)' must be \(what), found \(FieldReader.describe(node))") }
        if case .list(let item) = type {
            var nodes: [DataNode]
            switch node.kind {
            case .sequence(let items): nodes = items
            case .scalar(let text, _):
                // One value for a list field is a list of one; a spreadsheet cell `a; b` is a list of two.
                nodes = splitLists
                    ? text.split(separator: ";").map { DataNode(kind: .scalar(String($0).trimmingSpaces, plain: false), location: node.location) }
                    : [node]
            case .mapping:
                return expected("a list like [a, b]")
            }
            var values: [FieldValue] = []
            for element in nodes {
                if let value = read(element, as: item, key: key, label: label, diagnostics: &diagnostics) { values.append(value) }
            }
            return .list(values)
        }
        if type.isLocalizable, case .mapping(let pairs) = node.kind {
            var texts: [String: String] = [:]
            for pair in pairs {
                let language = pair.key.scalarText ?? ""
                guard languages.contains(language) else {
                    let comma = language.contains(" ") ? "; a comma inside {…} starts a new entry: put a text that has one in quotes, like {en: \"a, b\"}" : ""
                    diagnostics.append(.error(at: pair.key.location, prefix + "'\(key)' has a text for '\(language)', which is not a language of the site"
                        + (comma.isEmpty ? Suggestion.didYouMean(language, in: languages, otherwise: "; site.yaml declares \(languages.joined(separator: ", "))") : comma)))
                    continue
                }
                guard let text = pair.value.scalarText, text.contains(where: { !$0.isWhitespace }) else {
                    diagnostics.append(.error(at: pair.value.location, prefix + "'\(key).\(language)' must be text, found \(FieldReader.describe(pair.value))"))
                    continue
                }
                texts[language] = text
            }
            guard let main = texts.removeValue(forKey: languages[0]) else {
                return fail("'\(key)' needs a text in the default language; add '\(languages[0]): …'")
            }
            return type == .markdown ? .markdown(main, texts) : .localized(main, texts)
        }
        if case .group(let fields) = type {
            guard case .mapping(let pairs) = node.kind else { return expected(Self.expectation(type)) }
            var values: [String: FieldValue] = [:]
            let names = fields.map(\.name)
            var failed = false
            for pair in pairs {
                let member = pair.key.scalarText ?? ""
                guard let field = fields.first(where: { $0.name == member }) else {
                    diagnostics.append(.error(at: pair.key.location, prefix + "'\(key)' has no field '\(member)'"
                        + Suggestion.didYouMean(member, in: names, otherwise: "; its fields are \(names.joined(separator: ", "))")))
                    failed = true
                    continue
                }
                if let value = read(pair.value, as: field.type, key: key + "." + member, label: label, diagnostics: &diagnostics) {
                    values[member] = value
                } else {
                    failed = true
                }
            }
            for field in fields where field.required && values[field.name] == nil && !pairs.contains(where: { $0.key.scalarText == field.name }) {
                diagnostics.append(.error(at: node.location, prefix + "'\(key)' is missing '\(field.name)', which its declaration requires; add '\(field.name): ...'"))
                failed = true
            }
            return failed ? nil : .group(values)
        }
        if type == .point, node.scalarText == nil, let result = readPoint(node, key: key, label: label, diagnostics: &diagnostics) {
            return result
        }
        guard let text = node.scalarText else {
            return expected(type == .point ? "a point: [latitude, longitude] like [45.76, 4.84]"
                : type.isLocalizable ? "text, or one text per language like {en: …, zh: …}" : Self.expectation(type))
        }
        switch type {
        case .text:
            return .text(text)
        case .localized:
            return .localized(text, [:])
        case .markdown:
            return .markdown(text, [:])
        case .slug:
            return Self.isSlug(text) ? .text(text) : expected(Self.expectation(type))
        case .integer:
            guard let first = text.unicodeScalars.first, first == "-" || first == "+" || ("0"..."9").contains(first) else { return expected(Self.expectation(type)) }
            return Int(text).map(FieldValue.integer) ?? expected(Self.expectation(type))
        case .number:
            guard DataNode.isDecimal(text) else { return expected(Self.expectation(type)) }
            return Double(text).flatMap { $0.isFinite ? FieldValue.number($0) : nil } ?? expected(Self.expectation(type))
        case .bool:
            switch text {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return expected(Self.expectation(type))
            }
        case .date:
            return CalendarDate(text).map(FieldValue.date) ?? expected(Self.expectation(type))
        case .yearMonth:
            return Self.yearMonth(text) ?? expected(Self.expectation(type))
        case .url:
            if let problem = WebAddress.problem(text, allowed: .http) {
                return fail("'\(key)' \(text.debugDescription) is not a website address like https://www.example.org/: \(problem)")
            }
            return .url(text)
        case .email:
            if text.lowercased().hasPrefix("mailto:"), Self.isEmail(String(text.dropFirst(7))) {
                return fail("'\(key)' must be an e-mail address like name@example.org, found \(text.debugDescription); write it without 'mailto:'")
            }
            return Self.isEmail(text) ? .email(text) : expected(Self.expectation(type))
        case .country:
            if Country.name(for: text) != nil { return .country(text) }
            let hint = Country.name(for: text.uppercased()) != nil ? "; write it in capitals: \(text.uppercased())" : ""
            return fail("'\(key)' must be an ISO 3166-1 alpha-2 code like FR or CA, found \(text.debugDescription)\(hint)")
        case .point:
            // A spreadsheet cell: `45.76, 4.84`.
            let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let latitude = Double(parts[0]), let longitude = Double(parts[1]) else {
                return expected("a point: [latitude, longitude] like [45.76, 4.84]")
            }
            return point(latitude, longitude)
        case .enumeration(let values):
            if values.contains(text) { return .enumeration(text) }
            return fail("'\(key)' must be one of \(values.joined(separator: ", ")), found \(text.debugDescription)"
                + Suggestion.didYouMean(text, in: values))
        case .reference:
            return text.isEmpty ? expected("an id") : .reference(text)
        case .list, .group:
            return nil
        }
        func point(_ latitude: Double, _ longitude: Double) -> FieldValue? {
            guard (-90...90).contains(latitude) else { return fail("'\(key)': a latitude is between -90 and 90, found \(Self.number(latitude))") }
            guard (-180...180).contains(longitude) else { return fail("'\(key)': a longitude is between -180 and 180, found \(Self.number(longitude))") }
            return .point(latitude: latitude, longitude: longitude)
        }
    }

    /// A point written as `[45.76, 4.84]` or `{lat: 45.76, lon: 4.84}` (also in a mapping node).
    public func readPoint(_ node: DataNode, key: String, label: String, diagnostics: inout [Diagnostic]) -> FieldValue?? {
        var latitudeNode: DataNode?, longitudeNode: DataNode?
        switch node.kind {
        case .sequence(let items) where items.count == 2:
            (latitudeNode, longitudeNode) = (items[0], items[1])
        case .mapping:
            let fields = FieldReader(node, what: "'\(key)'", diagnostics: &diagnostics)
            diagnostics += fields.unknownKeys(known: ["lat", "lon"]).map { prefixed($0, label) }
            (latitudeNode, longitudeNode) = (fields.node("lat"), fields.node("lon"))
        default:
            return nil
        }
        guard let latitude = latitudeNode?.scalarText.flatMap(Double.init), let longitude = longitudeNode?.scalarText.flatMap(Double.init) else {
            diagnostics.append(.error(at: node.location, (label.isEmpty ? "" : label + ": ")
                + "'\(key)' must be a point: [latitude, longitude] like [45.76, 4.84], found \(node.typeName)"))
            return .some(nil)
        }
        let text = DataNode(kind: .scalar("\(latitude), \(longitude)", plain: false), location: node.location)
        return .some(read(text, as: .point, key: key, label: label, diagnostics: &diagnostics))
    }

    func prefixed(_ diagnostic: Diagnostic, _ label: String) -> Diagnostic {
        guard !label.isEmpty else { return diagnostic }
        var copy = diagnostic
        copy.message = label + ": " + diagnostic.message
        return copy
    }

    public static func expectation(_ type: FieldType) -> String {
        switch type {
        case .text, .localized, .markdown: "text"
        case .slug: "a slug: lowercase letters, digits and '-', like paris-descartes"
        case .integer: "a whole number like 12"
        case .number: "a number like 4.5"
        case .bool: "true or false"
        case .date: "a real date YYYY-MM-DD"
        case .yearMonth: "a year like 1987 or a month like 2014-10"
        case .url: "a website address like https://www.example.org/"
        case .email: "an e-mail address like name@example.org"
        case .country: "an ISO 3166-1 alpha-2 code like FR or CA"
        case .point: "a point: [latitude, longitude] like [45.76, 4.84]"
        case .enumeration(let values): "one of \(values.joined(separator: ", "))"
        case .reference: "an id"
        case .list: "a list like [a, b]"
        case .group(let fields): "a mapping of " + fields.map(\.name).joined(separator: ", ") + ", like {" + fields.prefix(2).map { "\($0.name): …" }.joined(separator: ", ") + "}"
        }
    }

    public static func isSlug(_ text: String) -> Bool {
        !text.isEmpty && !text.hasPrefix("-") && !text.hasSuffix("-") && !text.contains("--")
            && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// `local@domain.tld`: the local part of RFC 5322's dot-atoms (letters, digits, ``!#$%&'*+/=?^_`{|}~-``,
    /// dots between them; any letters, as RFC 6531 allows), the domain labels of letters, digits and `-`.
    static func isEmail(_ text: String) -> Bool {
        isASCIIEmail(text) ?? isEmailByScalars(text)
    }

    /// `isEmail` for any text, scalar by scalar.
    static func isEmailByScalars(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let local = parts[0], domain = parts[1]
        let atext = Self.atext
        let localOK = !local.isEmpty && local.count <= 64 && !local.hasPrefix(".") && !local.hasSuffix(".") && !local.contains("..")
            && local.unicodeScalars.allSatisfy { $0 == "." || atext.contains($0) || isWordScalar($0) }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        let domainOK = labels.count >= 2 && labels.allSatisfy { label in
            !label.isEmpty && !label.hasPrefix("-") && !label.hasSuffix("-") && label.unicodeScalars.allSatisfy { $0 == "-" || isWordScalar($0) }
        }
        return localOK && domainOK
    }

    /// The characters an address's local part may have besides letters, digits and dots.
    static let atext = Set("!#$%&'*+/=?^_`{|}~-".unicodeScalars)
    static let atextBytes: [Bool] = (0..<128).map { atext.contains(Unicode.Scalar(UInt8($0))) }

    /// `isEmail` for an address of ASCII only (the same rules, on bytes), or nil for one that is not ASCII.
    static func isASCIIEmail(_ text: String) -> Bool? {
        var text = text
        return text.withUTF8 { bytes -> Bool? in
            guard bytes.allSatisfy({ $0 < 128 }) else { return nil }
            func isWord(_ byte: UInt8) -> Bool { (byte >= 48 && byte <= 57) || (byte | 32 >= 97 && byte | 32 <= 122) }
            guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), bytes[(at + 1)...].firstIndex(of: UInt8(ascii: "@")) == nil else { return false }
            let local = bytes[..<at], domain = bytes[(at + 1)...]
            let dot = UInt8(ascii: ".")
            guard !local.isEmpty, local.count <= 64, local.first != dot, local.last != dot,
                  !zip(local, local.dropFirst()).contains(where: { $0 == dot && $1 == dot }),
                  local.allSatisfy({ $0 == dot || atextBytes[Int($0)] || isWord($0) }) else { return false }
            let labels = domain.split(separator: dot, omittingEmptySubsequences: false)
            return labels.count >= 2 && labels.allSatisfy { label in
                !label.isEmpty && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
                    && label.allSatisfy { $0 == UInt8(ascii: "-") || isWord($0) }
            }
        }
    }

    /// A letter or digit of any script (or a combining mark on one).
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType == .decimal || scalar.properties.generalCategory == .nonspacingMark
    }

    static func yearMonth(_ text: String) -> FieldValue? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts[0].count == 4, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }),
              let year = Int(parts[0]), year >= 1000 else { return nil }
        guard parts.count == 2 else { return .yearMonth(year: year, month: nil) }
        guard parts[1].count == 2, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let month = Int(parts[1]), (1...12).contains(month) else { return nil }
        return .yearMonth(year: year, month: month)
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
