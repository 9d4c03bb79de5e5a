import SiteModel

/// Checks every reference between collections once all are read: each id must exist in its collection
/// (the nearest ids suggested).
public enum References {
    public static func check(_ collections: [LoadedCollection]) -> [Diagnostic] {
        var ids: [String: [String]] = [:]
        for collection in collections { ids[collection.spec.name] = collection.records.map(\.id) }
        var known: [String: Set<String>] = [:]
        for (name, list) in ids { known[name] = Set(list) }
        var diagnostics: [Diagnostic] = []
        for collection in collections {
            let spec = collection.spec
            for field in spec.fields {
                guard case .reference(let target) = field.type.item, let targets = known[target],
                      let targetSpec = collections.first(where: { $0.spec.name == target })?.spec else { continue }
                for record in collection.records {
                    let list: [FieldValue] = switch record.values[field.name] {
                    case .list(let items)?: items
                    case let value?: [value]
                    case nil: []
                    }
                    for (index, value) in list.enumerated() {
                        guard case .reference(let id) = value, !targets.contains(id) else { continue }
                        let at = record.locations["\(field.name).\(index)"] ?? record.locations[field.name] ?? record.location
                        diagnostics.append(.error(at: at,
                            "\(spec.singular) '\(record.id)': '\(field.name)' names '\(id)', which is no \(targetSpec.singular)"
                            + Suggestion.didYouMean(id, in: ids[target] ?? [], otherwise: "")))
                    }
                }
            }
        }
        return diagnostics
    }
}

/// Which records refer to which, across all collections: for a record, the records of each collection
/// that name it in a reference field (each once, in their collection's order).
public struct ReferenceIndex: Sendable {
    /// target collection → target id → referring collection → referring records.
    private let referrers: [String: [String: [String: [Record]]]]

    public init(_ collections: [LoadedCollection]) {
        var referrers: [String: [String: [String: [Record]]]] = [:]
        for collection in collections {
            let spec = collection.spec
            let fields = spec.fields.filter { if case .reference = $0.type.item { true } else { false } }
            guard !fields.isEmpty else { continue }
            for record in collection.records {
                var named: Set<String> = []
                for field in fields {
                    guard case .reference(let target) = field.type.item else { continue }
                    let values: [FieldValue] = switch record.values[field.name] {
                    case .list(let items)?: items
                    case let value?: [value]
                    case nil: []
                    }
                    for case .reference(let id) in values where named.insert(target + "\u{0}" + id).inserted {
                        referrers[target, default: [:]][id, default: [:]][spec.name, default: []].append(record)
                    }
                }
            }
        }
        self.referrers = referrers
    }

    /// The records that refer to `id` of `collection`, by referring collection (sorted by name).
    public func referrers(of id: String, in collection: String) -> [(String, [Record])] {
        (referrers[collection]?[id] ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
