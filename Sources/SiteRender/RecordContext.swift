import SiteMarkdown
import SiteModel

/// What templates see of records, in one page's language: every value typed (a date as `value` and
/// `display`, a country as `code` and `name`, an enum as `value` and `label`, a reference as the record it
/// names), plus `id`, `title`, `url` (its page) and `referenced_by` (the records of other collections that
/// name it). One builder for every collection; `shape` is what the template check expects of it.
struct RecordContext {
    let renderer: PageRenderer
    /// Notes each collection a record's context is made from (`RenderedPage.reads`).
    let reads: PageReads

    var strings: Strings { renderer.strings }
    var languageKey: String { renderer.language.key }

    /// How many references deep records are followed: a page's record (0) shows the records it names and
    /// that name it (1) in full, and theirs (2) without their own references, so there is no end to follow.
    static let leafDepth = 2

    /// The record's context from the page at `route`, at `depth` references from the page's own. Every
    /// declared field is there, `absent` when the record leaves it out (an empty list for a list), so a
    /// name is never looked up in an enclosing record instead (see `absent`).
    func context(_ record: Record, in collection: LoadedCollection, from route: String, depth: Int = 0) -> TemplateContext {
        let spec = collection.spec
        reads.collection(spec.name)
        var result: TemplateContext = ["id": .text(record.id), "title": .text(title(of: record, in: spec)),
                                       "url": .orAbsent(url(of: record, in: spec, from: route))]
        for field in spec.fields {
            if depth >= Self.leafDepth, case .reference = field.type.item {
                result[field.name] = .absent
                continue
            }
            guard let value = record.values[field.name] else {
                result[field.name] = field.type.isList ? [] : .absent
                continue
            }
            result[field.name] = self.value(value, of: field, in: spec, from: route, depth: depth)
        }
        result["formatted"] = .object(formatted(record, in: spec).mapValues { .text($0) })
        if depth < Self.leafDepth {
            // Every collection that can refer to this one is there, empty when none of its records does.
            var referrers: TemplateContext = [:]
            for other in renderer.site.collections where other.spec.fields.contains(where: { $0.type.item == .reference(spec.name) }) {
                referrers[other.spec.name] = []
                // Its records may come to name this one.
                reads.collection(other.spec.name)
            }
            for (name, records) in renderer.referrers(of: record.id, in: spec.name) {
                guard let other = renderer.collectionsByName[name] else { continue }
                referrers[name] = .list(records.map { .object(self.context($0, in: other, from: route, depth: depth + 1)) })
            }
            result["referenced_by"] = .object(referrers)
        } else {
            result["referenced_by"] = .absent
        }
        return result
    }

    /// The collection's formats (`<collection>.format.<name>` strings) filled with the record's values.
    func formatted(_ record: Record, in spec: CollectionSpec) -> [String: String] {
        let formats = renderer.formats[spec.name] ?? []
        guard !formats.isEmpty else { return [:] }
        let values = Dictionary(uniqueKeysWithValues: spec.fields.compactMap { field in
            record.values[field.name].map { (field.name, renderer.display(spec, field.name, $0)) }
        })
        return Dictionary(uniqueKeysWithValues: formats.map { ($0.0, Strings.fill($0.1, values)) })
    }

    /// What the record's page gives as its description (`<meta name="description">`): its prose's
    /// `description:`, else its `description` field, else its `description` format.
    func description(of record: Record, in spec: CollectionSpec, prose: Page?) -> String? {
        if let text = prose?.description { return text }
        if let value = record.values["description"] {
            switch value {
            case .text, .localized: return value.text(in: languageKey)
            case .markdown(let main, let others): return markdownPlainText(others[languageKey] ?? main)
            default: break
            }
        }
        return formatted(record, in: spec)["description"]
    }

    func title(of record: Record, in spec: CollectionSpec) -> String {
        record.values[spec.titleField]?.text(in: languageKey) ?? record.id
    }

    func url(of record: Record, in spec: CollectionSpec, from route: String) -> String? {
        spec.recordPages.map { renderer.link(route, to: renderer.localized($0.route(of: record.id))) }
    }

    func value(_ value: FieldValue, of field: DeclaredField, in spec: CollectionSpec, from route: String, depth: Int) -> TemplateValue {
        switch value {
        case .text(let text), .url(let text), .email(let text):
            return .text(text)
        case .localized(let main, let others):
            return .text(others[languageKey] ?? main)
        case .markdown(let main, let others):
            return .text(renderer.inlineMarkdown(others[languageKey] ?? main))
        case .integer(let n): return .int(n)
        case .number(let n): return .double(n)
        case .bool(let b): return .bool(b)
        case .date(let date):
            return ["value": .text(date.description), "display": .text(strings.date(date))]
        case .yearMonth(let year, let month):
            return ["value": .text(value.text(in: languageKey)), "year": .int(year),
                    "display": .text(month.map { strings.monthYear(year: year, month: $0) } ?? String(year))]
        case .country(let code):
            return ["code": .text(code), "name": .text(strings.country(code))]
        case .point(let latitude, let longitude):
            return ["lat": .double(latitude), "lon": .double(longitude)]
        case .enumeration(let name):
            var result: TemplateContext = ["value": .text(name), "label": .text(strings.label(spec.name, field.name, name))]
            if let pages = spec.valuePages.first(where: { $0.field == field.name }) {
                result["url"] = .text(renderer.link(route, to: renderer.localized(pages.route(of: name))))
            }
            return .object(result)
        case .reference(let id):
            guard case .reference(let target) = field.type.item, let collection = renderer.collectionsByName[target],
                  let record = renderer.record(id, in: target) else { return ["id": .text(id)] }
            return .object(context(record, in: collection, from: route, depth: depth + 1))
        case .list(let items):
            return .list(items.map { self.value($0, of: field, in: spec, from: route, depth: depth) })
        case .group(let values):
            guard case .group(let members) = field.type.item else { return [:] }
            var result: TemplateContext = [:]
            for member in members {
                if let item = values[member.name] { result[member.name] = self.value(item, of: member, in: spec, from: route, depth: depth) }
            }
            return .object(result)
        }
    }

    /// The shape of a record of `spec` (at `depth`), for the template check. `formats` are the names of the
    /// collection's `<name>.format.*` strings (in the default language's table).
    static func shape(of spec: CollectionSpec, among specs: [String: CollectionSpec], depth: Int = 0,
                      formats: [String: [String]] = [:]) -> ContextShape {
        var fields: [String: ContextShape] = [
            "id": .text, "title": .text,
            "url": spec.recordPages != nil ? .url : .unavailable("\(spec.name) have no pages of their own; give the collection 'pages:' in site.yaml to link to them"),
            "formatted": .object(Dictionary(uniqueKeysWithValues: (formats[spec.name] ?? []).map { ($0, ContextShape.text) })),
        ]
        let tooDeep = "records are followed at most \(leafDepth) references away from the page's own, and this would be one more; show it from a nearer record"
        for field in spec.fields {
            if depth >= leafDepth, case .reference = field.type.item {
                fields[field.name] = .unavailable("'\(field.name)' of \(spec.singular) records here: " + tooDeep)
                continue
            }
            let hasPages = spec.valuePages.contains { $0.field == field.name }
            fields[field.name] = shape(of: field.type, among: specs, depth: depth, formats: formats, valuePages: hasPages)
        }
        if depth < leafDepth {
            var referrers: [String: ContextShape] = [:]
            for other in specs.values where other.fields.contains(where: { $0.type.item == .reference(spec.name) }) {
                referrers[other.name] = .list(shape(of: other, among: specs, depth: depth + 1, formats: formats))
            }
            fields["referenced_by"] = .object(referrers)
        } else {
            fields["referenced_by"] = .unavailable("'referenced_by' of \(spec.singular) records here: " + tooDeep)
        }
        return .object(fields)
    }

    /// The shape of a value of `type` (an enum with a page per value, `valuePages`, also has its `url`).
    static func shape(of type: FieldType, among specs: [String: CollectionSpec], depth: Int, formats: [String: [String]] = [:],
                      valuePages: Bool = false) -> ContextShape {
        switch type {
        case .text, .localized, .slug, .email: return .text
        case .markdown: return .html
        case .url: return .url
        case .integer, .number: return .number
        case .bool: return .bool
        case .date: return .object(["value": .text, "display": .text])
        case .yearMonth: return .object(["value": .text, "display": .text, "year": .number])
        case .country: return .object(["code": .text, "name": .text])
        case .point: return .object(["lat": .number, "lon": .number])
        case .enumeration:
            return .object(valuePages ? ["value": .text, "label": .text, "url": .url] : ["value": .text, "label": .text])
        case .reference(let target):
            guard let spec = specs[target] else { return .any }
            return shape(of: spec, among: specs, depth: depth + 1, formats: formats)
        case .list(let item): return .list(shape(of: item, among: specs, depth: depth, formats: formats, valuePages: valuePages))
        case .group(let members):
            return .object(Dictionary(uniqueKeysWithValues: members.map { ($0.name, shape(of: $0.type, among: specs, depth: depth, formats: formats)) }))
        }
    }
}
