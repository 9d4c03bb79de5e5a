import Foundation
import SiteModel

/// Reads one collection's records from its data (a list of mappings, whatever the source format) and checks
/// every rule of every record at once, each problem at its position with the record's id: unknown, missing
/// and mistyped fields, and ids used twice (whatever their case or Unicode normalization).
public struct RecordReader {
    public let spec: CollectionSpec
    public let file: String
    public let values: FieldValueReader
    public private(set) var diagnostics: [Diagnostic] = []
    /// The records are a CSV file's rows: every row has every column, so a column that is no field, or a
    /// required field without a column, is one error at the header, not one per row.
    let table: Bool
    private var reportedColumns: Set<String> = []

    public init(spec: CollectionSpec, file: String, languages: [String], table: Bool = false) {
        self.spec = spec
        self.file = file
        self.table = table
        self.values = FieldValueReader(languages: languages, splitLists: table)
    }

    public mutating func read(_ root: DataNode?) -> [Record] {
        guard let root else { return [] }
        guard case .sequence(let items) = root.kind else {
            diagnostics.append(.error(at: root.location, "\(file) must be a list of \(spec.name) (one record per '- \(spec.idField): …' in YAML, per row in CSV, per object in a JSON array), found \(root.typeName)"))
            return []
        }
        var records: [Record] = []
        var seen: [String: (id: String, line: Int)] = [:]
        for (index, item) in items.enumerated() {
            guard let record = self.record(item, number: index + 1) else { continue }
            // Ids are compared without case, and canonically equivalent strings are equal keys: `Lyon`,
            // `lyon` and an NFD `lyon` are one id.
            let key = String(record.id.precomposedStringWithCanonicalMapping.lowercased())
            if let first = seen[key] {
                let same = first.id == record.id ? "" : " ('\(first.id)')"
                diagnostics.append(.error(at: record.locations[spec.idField] ?? record.location,
                    "\(spec.singular) '\(record.id)': the id is already used by the \(spec.singular) at line \(first.line)\(same); ids must be unique, whatever their case"))
                continue
            }
            seen[key] = (record.id, record.location.line)
            records.append(record)
        }
        return records
    }

    private mutating func record(_ node: DataNode, number: Int) -> Record? {
        let idText = node[spec.idField]?.scalarText
        let label = idText.map { "\(spec.singular) '\($0)'" } ?? "\(spec.singular) #\(number)"
        guard case .mapping(let pairs) = node.kind else {
            diagnostics.append(.error(at: node.location, "\(label) must be a mapping of 'field: value' lines, found \(node.typeName)"))
            return nil
        }
        var problems: [Diagnostic] = []
        var values: [String: FieldValue] = [:]
        var locations: [String: SourceLocation] = [:]
        var given: Set<String> = []
        for pair in pairs {
            let key = pair.key.scalarText ?? ""
            guard let field = spec.field(key) else {
                let names = spec.fields.map(\.name)
                let hint = Suggestion.didYouMean(key, in: names, otherwise: "; \(spec.name) has \(names.joined(separator: ", ")) (declare others in site.yaml)")
                if table {
                    if reportedColumns.insert(key).inserted {
                        problems.append(.error(at: pair.key.location, "the column '\(key)' is no field of \(spec.name)" + hint))
                    }
                } else {
                    problems.append(.error(at: pair.key.location, "\(label): unknown field '\(key)'" + hint))
                }
                continue
            }
            // An empty value (`website:`, `~`, `null`, JSON's null, "") is a field left out.
            if case .scalar(let text, let plain) = pair.value.kind,
               text.isEmpty || (plain && ["~", "null", "Null", "NULL"].contains(text)) {
                if field.required {
                    problems.append(.error(at: pair.value.location, "\(label): '\(key)' is empty, but every \(spec.singular) must have one; fill it in"))
                    given.insert(key)
                }
                continue
            }
            given.insert(key)
            locations[key] = pair.value.location
            if key == spec.idField {
                guard let text = pair.value.scalarText, Self.isIdentifier(text) else {
                    problems.append(.error(at: pair.value.location, "\(label): the id must be letters, digits, '-' and '_' (it is part of the address of the \(spec.singular)'s page), found \(FieldReader.describe(pair.value))"
                        + (pair.value.scalarText.flatMap(Self.identifier(near:)).map { "; write it like \($0.debugDescription)" } ?? "")))
                    continue
                }
                values[key] = .text(text)
                continue
            }
            if case .sequence(let items) = pair.value.kind {
                for (index, item) in items.enumerated() { locations["\(key).\(index)"] = item.location }
            }
            if let value = self.values.read(pair.value, as: field.type, key: key, label: label, diagnostics: &problems) {
                values[key] = value
            }
        }
        for field in spec.fields where field.required && !given.contains(field.name) {
            if table && !pairs.contains(where: { $0.key.scalarText == field.name }) {
                if reportedColumns.insert(field.name).inserted {
                    problems.append(.error(at: SourceLocation(file: file, line: 1, column: 1),
                        "the header has no column '\(field.name)', which every \(spec.singular) must have; add the column"))
                }
            } else {
                problems.append(.error(at: node.location, "\(label) is missing '\(field.name)', which every \(spec.singular) must have; add '\(field.name): …'"))
            }
        }
        diagnostics += problems
        guard problems.isEmpty, case .text(let id)? = values[spec.idField] else { return nil }
        return Record(id: id, values: values, location: node.location, locations: locations)
    }
}

extension RecordReader {
    /// An id: letters and digits of any script, with `-` and `_` between them (no spaces, dots or slashes:
    /// it is part of a URL and of a file's name).
    /// The id `text` would be with every other character made a `-` (nil if that leaves nothing).
    static func identifier(near text: String) -> String? {
        var result = ""
        for character in text {
            if isIdentifier(String(character)) { result.append(character) } else if !result.hasSuffix("-") { result.append("-") }
        }
        while result.hasSuffix("-") { result.removeLast() }
        while result.hasPrefix("-") || result.hasPrefix("_") { result.removeFirst() }
        return result.isEmpty || !isIdentifier(result) ? nil : result
    }

    public static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
              first != "-", last != "-", first != "_", last != "_" else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            scalar == "-" || scalar == "_" || FieldValueReader.isWordScalar(scalar)
        }
    }
}

