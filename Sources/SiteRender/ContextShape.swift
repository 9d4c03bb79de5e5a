import SiteModel

/// What a template may find under a name: the shape of the values the engine gives it, so that every
/// `{{name}}` and section can be checked before rendering (swift-mustache renders an unknown name as empty).
indirect enum ContextShape: Sendable, Equatable {
    /// Text, a number or a true/false: printed, or tested by a section.
    case value
    case object([String: ContextShape])
    case list(ContextShape)
    /// Anything at all: data of mixed shapes, or what another check covers (`t.*`, the string tables).
    case any

    /// What either shape may hold.
    func union(_ other: ContextShape) -> ContextShape {
        switch (self, other) {
        case (.value, .value): return .value
        case let (.object(a), .object(b)): return .object(a.merging(b) { $0.union($1) })
        case let (.list(a), .list(b)): return .list(a.union(b))
        default: return .any
        }
    }

    /// The shape of a data value (a list holds what any of its items holds).
    static func of(_ value: Value) -> ContextShape {
        switch value {
        case .null, .bool, .int, .double, .string: return .value
        case .array(let items):
            guard let first = items.first else { return .list(.any) }
            return .list(items.dropFirst().reduce(of(first)) { $0.union(of($1)) })
        case .object(let pairs):
            var fields: [String: ContextShape] = [:]
            for (key, item) in pairs { fields[key] = fields[key].map { $0.union(of(item)) } ?? of(item) }
            return .object(fields)
        }
    }

    static func object(_ pairs: KeyValuePairs<String, ContextShape>) -> ContextShape {
        .object(Dictionary(uniqueKeysWithValues: pairs.map { ($0.key, $0.value) }))
    }

    /// The names directly under this shape (for suggestions).
    var names: [String] {
        if case .object(let fields) = self { return fields.keys.sorted() }
        return []
    }
}

/// The shapes of what the engine gives each kind of page's layout — the names the README's template table
/// lists. A test renders real sites and checks that every name a context holds is here.
enum ContextSchema {
    /// What lists show of a page (`pages`, `sections`, `list` items, and `page` itself).
    static let summary: [String: ContextShape] = [
        "title": .value, "url": .value, "description": .value, "date": .value, "date_display": .value, "weight": .value,
    ]

    static let partner: ContextShape = .object([
        "id": .value, "name": .value, "city": .value, "country": .value, "country_name": .value, "url": .value,
        "areas": .list(.object(["name": .value, "key": .value, "url": .value])), "has_areas": .value, "area_names": .value,
        "programs": .list(.object(["name": .value, "level": .value, "description": .value])), "has_programs": .value,
        "place_line": .value, "location_line": .value, "kind": .value, "kind_label": .value,
        "since": .value, "since_display": .value, "since_line": .value, "website": .value,
    ])

    static let partners: ContextShape = .object([
        "count": .value, "country_count": .value, "summary": .value, "all_summary": .value,
        "countries": .list(.object(["code": .value, "name": .value, "id": .value, "count": .value, "partners": .list(partner)])),
        "items": .list(partner),
        "areas": .list(.object(["name": .value, "key": .value, "url": .value, "count": .value, "current": .value, "summary": .value])),
        "has_areas": .value, "all_url": .value, "is_filtered": .value, "json_url": .value, "area": .value,
    ])

    /// What every page's layout receives.
    static func page(of site: Site) -> [String: ContextShape] {
        var page = summary
        page["content"] = .value
        page["toc"] = .list(.object(["level": .value, "text": .value, "id": .value, "url": .value]))
        page["has_toc"] = .value
        page["kind"] = .value
        page["is_home"] = .value
        page["is_section"] = .value
        page["params"] = .object(site.config.params.mapValues { field in
            if case .list = field.type { return .list(.value) }
            return .value
        })
        var data: [String: ContextShape] = [:]
        for (key, value) in site.data { data[key] = .of(value) }
        return [
            "site": .object(["title": .value, "description": .value, "language": .value, "base_url": .value]),
            "page": .object(page),
            "root": .value, "home_url": .value, "canonical_url": .value, "lang": .value,
            "menu": .list(.object(["title": .value, "url": .value, "current": .value, "active": .value, "external": .value])),
            "breadcrumbs": .list(.object(["title": .value, "url": .value])), "has_breadcrumbs": .value,
            "data": .object(data),
            // Checked against every language's table by `Strings.checkTemplates`.
            "t": .any,
            "languages": .list(.object(["code": .value, "key": .value, "name": .value, "url": .value, "current": .value, "translated": .value])),
            "has_languages": .value,
            "alternates": .list(.object(["hreflang": .value, "url": .value])),
            "pages": .list(.object(summary)), "sections": .list(.object(summary)), "list": .list(.object(summary)),
            "pagination": .object(["current": .value, "total": .value, "prev_url": .value, "next_url": .value,
                                   "pages": .list(.object(["number": .value, "url": .value, "current": .value]))]),
            "partners": partners,
        ]
    }

    /// What a partner's page receives besides what every page does.
    static let partnerPage: [String: ContextShape] = ["partner": partner, "json_ld": .value]
}
