import SiteModel

/// What kind of single value a name holds: what decides where in a page a template may put it.
enum ScalarKind: Sendable, Equatable {
    /// Any text: safe only where HTML escaping makes it safe (text, quoted attributes).
    case text
    case number
    case bool
    /// A URL the engine made or checked (a page's address, `root`, an `http(s)` address from validated
    /// data): safe in `href` and `src`.
    case url
    /// HTML the engine made (`page.content`, `json_ld`).
    case html
}

/// What a template may find under a name: the shape of the values the engine gives it, so that every
/// `{{name}}` and section can be checked before rendering (swift-mustache renders an unknown name as empty).
indirect enum ContextShape: Sendable, Equatable {
    /// Text, a number, a true/false, a URL or engine HTML: printed, or tested by a section.
    case scalar(ScalarKind)
    case object([String: ContextShape])
    case list(ContextShape)
    /// Anything at all: data of mixed shapes, or what another check covers (`t.*`, the string tables).
    case any
    /// A name the context holds (as `absent`, so Mustache does not look it up further out) but that is never
    /// given here, for the reason told: using it is an error.
    case unavailable(String)

    static let text = ContextShape.scalar(.text)
    static let number = ContextShape.scalar(.number)
    static let bool = ContextShape.scalar(.bool)
    static let url = ContextShape.scalar(.url)
    static let html = ContextShape.scalar(.html)

    /// What either shape may hold (a value that may be either kind keeps only what both guarantee).
    func union(_ other: ContextShape) -> ContextShape {
        switch (self, other) {
        case let (.scalar(a), .scalar(b)): return .scalar(a == b ? a : .text)
        case let (.object(a), .object(b)): return .object(a.merging(b) { $0.union($1) })
        case let (.list(a), .list(b)): return .list(a.union(b))
        default: return .any
        }
    }

    /// The shape of a data value (a list holds what any of its items holds). Data text is only text: a
    /// data file's `url: javascript:…` is not a URL the engine checked.
    static func of(_ value: Value) -> ContextShape {
        switch value {
        case .null, .string: return .text
        case .bool: return .bool
        case .int, .double: return .number
        case .array(let items):
            guard let first = items.first else { return .list(.any) }
            return .list(items.dropFirst().reduce(of(first)) { $0.union(of($1)) })
        case .object(let pairs):
            var fields: [String: ContextShape] = [:]
            for (key, item) in pairs { fields[key] = fields[key].map { $0.union(of(item)) } ?? of(item) }
            return .object(fields)
        }
    }

    /// The shape of a declared front matter field's values (`page.params`: plain values).
    static func of(_ type: FieldType) -> ContextShape {
        switch type {
        case .integer, .number: return .number
        case .bool: return .bool
        case .url: return .url
        case .list(let item): return .list(of(item))
        case .group(let members): return .object(Dictionary(uniqueKeysWithValues: members.map { ($0.name, of($0.type)) }))
        default: return .text
        }
    }

    /// The names directly under this shape (for suggestions).
    var names: [String] {
        if case .object(let fields) = self { return fields.keys.sorted() }
        return []
    }
}

/// The shapes of what the engine gives each kind of page's layout — the names the README's template table
/// lists. A test renders real sites and checks that every name a context holds is here, of its kind.
enum ContextSchema {
    /// What lists show of a page (`pages`, `sections`, `list` items, and `page` itself).
    static let summary: [String: ContextShape] = [
        "title": .text, "url": .url, "description": .text, "date": .text, "date_display": .text, "weight": .number,
    ]

    /// What a list page (or a page asking with `collections:`) sees of a collection.
    static func list(of spec: CollectionSpec, among specs: [String: CollectionSpec], formats: [String: [String]] = [:]) -> ContextShape {
        let record = RecordContext.shape(of: spec, among: specs, formats: formats)
        var fields: [String: ContextShape] = [
            "items": .list(record), "count": .number, "is_filtered": .bool, "summary": .text, "all_summary": .text,
            "filter": .object(["field": .text, "value": .text, "label": .text]),
        ]
        if let group = spec.listPage?.group {
            let field = spec.field(group).map { RecordContext.shape(of: $0.type, among: specs, depth: 1, formats: formats) } ?? .any
            fields["groups"] = .list(.object(["value": .text, "label": .text, "id": .text, "count": .number, "items": .list(record), "field": field]))
            fields["group_count"] = .number
        }
        var by: [String: ContextShape] = [:]
        for pages in spec.valuePages {
            by[pages.field] = .list(.object(["value": .text, "label": .text, "count": .number, "url": .url, "current": .bool,
                                              "summary": .text]))
        }
        fields["by"] = .object(by)
        if spec.listPage != nil { fields["all_url"] = .url }
        if spec.json != nil { fields["json_url"] = .url }
        if spec.map != nil { fields["map"] = .html }
        return .object(fields)
    }

    /// What every page's layout receives.
    static func page(of site: Site) -> [String: ContextShape] {
        var page = summary
        page["content"] = .html
        page["toc"] = .list(.object(["level": .number, "text": .text, "id": .text, "url": .url]))
        page["has_toc"] = .bool
        page["kind"] = .text
        page["is_home"] = .bool
        page["is_section"] = .bool
        page["params"] = .object(site.config.params.mapValues { ContextShape.of($0.type) })
        var data: [String: ContextShape] = [:]
        for (key, value) in site.data { data[key] = .of(value) }
        return [
            "site": .object(["title": .text, "description": .text, "language": .text, "base_url": .url]),
            "page": .object(page),
            "root": .url, "home_url": .url, "canonical_url": .url, "lang": .text,
            // External menu URLs are checked when site.yaml is read.
            "menu": .list(.object(["title": .text, "url": .url, "current": .bool, "active": .bool, "external": .bool])),
            "breadcrumbs": .list(.object(["title": .text, "url": .url])), "has_breadcrumbs": .bool,
            "data": .object(data),
            // Checked against every language's table by `Strings.checkTemplates`.
            "t": .any,
            "languages": .list(.object(["code": .text, "key": .text, "name": .text, "url": .url, "current": .bool, "translated": .bool])),
            "has_languages": .bool,
            "alternates": .list(.object(["hreflang": .text, "url": .url])),
            "pages": .list(.object(summary)), "sections": .list(.object(summary)), "list": .list(.object(summary)),
            "pagination": .object(["current": .number, "total": .number, "prev_url": .url, "next_url": .url,
                                   "pages": .list(.object(["number": .number, "url": .url, "current": .bool]))]),
        ]
    }
}
