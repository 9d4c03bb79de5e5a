import SiteData
import SiteMarkdown
import SiteModel

/// The pages collections make — a page per record, the list, a page per value of a field — and what templates
/// see of them. Nothing here knows any collection by name.
extension PageRenderer {
    /// The record `id` of the collection `name`.
    func record(_ id: String, in name: String) -> Record? {
        recordIndex[name]?[id].flatMap { collectionsByName[name]?.records[$0] }
    }

    /// The records of other collections (or the same) that refer to `id` of `collection`, by collection,
    /// each in its collection's order.
    func referrers(of id: String, in collection: String) -> [(String, [Record])] {
        references.referrers(of: id, in: collection).map { name, records in
            let rank = ranks[name] ?? [:]
            return (name, records.sorted { (rank[$0.id] ?? 0) < (rank[$1.id] ?? 0) })
        }
    }

    /// Inline Markdown of a field, rendered safely: no raw HTML, no paragraph around it.
    func inlineMarkdown(_ text: String) -> String {
        var html = MarkdownRenderer(options: MarkdownOptions(unsafeHTML: false, smartPunctuation: site.config.markdown.smartPunctuation,
                                                             headingIDs: false, rewriteLinks: false)).render(text).html
        if html.hasPrefix("<p>") && html.hasSuffix("</p>\n") && html.components(of: "<p>") == 1 {
            html = String(html.dropFirst(3).dropLast(5))
        }
        return html
    }

    /// The records of `collection` in this language's order: the list's sort keys, or the file's order without a list.
    func ordered(_ collection: LoadedCollection) -> [Record] {
        if let sorted = sortedRecords[collection.spec.name] { return sorted }
        return collection.records
    }

    /// What a value of `field` reads as in this language (for sorting and grouping).
    func display(_ spec: CollectionSpec, _ field: String, _ value: FieldValue) -> String {
        switch value {
        case .enumeration(let name): strings.label(spec.name, field, name)
        case .country(let code): strings.country(code)
        default: value.text(in: language.key)
        }
    }

    /// A collection's records as a list page, or a page asking for them, sees them (under the collection's
    /// name): `items`, `count`, `groups` (by the list's `group` field), `by` (each field with a page per value:
    /// the values, their pages, their counts), `filter` and `is_filtered` on a value's page, `summary`,
    /// `all_url` and `json_url`.
    func listContext(_ collection: LoadedCollection, _ records: [Record], from route: String,
                     filter: (field: String, value: String)? = nil, reads: PageReads) -> TemplateContext {
        let spec = collection.spec
        reads.collection(spec.name)
        let builder = RecordContext(renderer: self, reads: reads)
        let items = records.map { TemplateValue.object(builder.context($0, in: collection, from: route)) }
        var context: TemplateContext = ["items": .list(items), "count": .int(records.count), "is_filtered": .bool(filter != nil)]
        if let field = spec.listPage?.group {
            var order: [String] = []
            var members: [String: [Int]] = [:]
            var values: [String: FieldValue] = [:]
            for (index, record) in records.enumerated() {
                let value = record.values[field]
                let key = value?.text(in: language.key) ?? ""
                if members[key] == nil { order.append(key); values[key] = value }
                members[key, default: []].append(index)
            }
            let collation = Collation(language: language)
            let labels = Dictionary(uniqueKeysWithValues: order.map { ($0, values[$0].map { display(spec, field, $0) } ?? "") })
            order.sort { labels[$0]! != labels[$1]! ? collation.precedes(labels[$0]!, labels[$1]!) : $0 < $1 }
            context["groups"] = .list(order.map { key -> TemplateValue in
                var group: TemplateContext = ["value": .text(key), "label": .text(labels[key]!), "id": .text(Slug.make(field + "-" + key)),
                                              "count": .int(members[key]!.count), "items": .list(members[key]!.map { items[$0] })]
                if let value = values[key] ?? nil, let declared = spec.field(field) {
                    group["field"] = builder.value(value, of: declared, in: spec, from: route, depth: 1)
                } else {
                    group["field"] = .absent
                }
                return .object(group)
            })
            context["group_count"] = .int(order.count)
        }
        var by: TemplateContext = [:]
        for pages in spec.valuePages {
            guard let declared = spec.field(pages.field), case .enumeration(let values) = declared.type.item else { continue }
            let all = collection.records
            by[pages.field] = .list(values.compactMap { value -> TemplateValue? in
                let matching = all.filter(CollectionQuery(collection: spec.name, criteria: [pages.field: value], location: spec.location).matches)
                guard !matching.isEmpty else { return nil }
                return ["value": .text(value), "label": .text(strings.label(spec.name, pages.field, value)), "count": .int(matching.count),
                        "url": .text(link(route, to: localized(pages.route(of: value)))),
                        "current": .bool(filter?.field == pages.field && filter?.value == value),
                        "summary": .orAbsent(summary(of: spec, matching, filteredBy: (pages.field, value)))]
            })
        }
        context["by"] = .object(by)
        context["filter"] = .orAbsent(filter.map { ["field": .text($0.field), "value": .text($0.value),
                                                    "label": .text(strings.label(spec.name, $0.field, $0.value))] })
        if let list = spec.listPage { context["all_url"] = .text(link(route, to: localized(list.route))) }
        if let json = spec.json { context["json_url"] = .text(link(route, to: "/" + json)) }
        context["summary"] = .orAbsent(summary(of: spec, records, filteredBy: filter))
        context["all_summary"] = .orAbsent(summary(of: spec, collection.records, filteredBy: nil))
        if let map = spec.map { context["map"] = .text(self.map(map, of: spec, records, from: route)) }
        return context
    }

    /// The map of `records` (inline SVG, one `<figure>` per view), with links relative to `route`.
    func map(_ map: CollectionMap, of spec: CollectionSpec, _ records: [Record], from route: String) -> String {
        let markers = records.compactMap { record -> MapMarker? in
            guard case .point(let latitude, let longitude)? = record.values[map.field] else { return nil }
            let label = map.label.flatMap { field in record.values[field].map { display(spec, field, $0) } } ?? ""
            let group = spec.listPage?.group.flatMap { field in record.values[field].map { display(spec, field, $0) } } ?? ""
            let url = spec.recordPages.map { link(route, to: localized($0.route(of: record.id))) } ?? ""
            return MapMarker(point: GeoPoint(latitude: latitude, longitude: longitude),
                             title: record.values[spec.titleField]?.text(in: language.key) ?? record.id,
                             label: label, group: group, url: url)
        }
        let name = spec.name
        var titles: [String: String] = [:]
        for view in map.views {
            let title = strings.optional("\(name).map.\(view.id)", fallback: "")
            if !title.isEmpty { titles[view.id] = title }
        }
        let words = MapWords(hub: strings.optional("\(name).map.hub", fallback: map.hub?.label(in: "") ?? ""), titles: titles) { count in
            self.strings.plural("\(name).map.count", count, fallback: self.strings.plural("\(name).count", count))
        }
        return CollectionMapRenderer.html(map, markers: markers, words: words, prefix: "map")
    }

    /// The summary string of `records` (`<collection>.summary`, with their count and, when the list groups,
    /// their number of groups), or nil when the site's strings give the collection none.
    func summary(of spec: CollectionSpec, _ records: [Record], filteredBy filter: (field: String, value: String)?) -> String? {
        let groups = spec.listPage?.group.map { field in Set(records.map { $0.values[field]?.text(in: language.key) ?? "" }).count }
        return strings.summary(of: spec.name, count: records.count, groups: groups,
                               filteredBy: filter.map { strings.label(spec.name, $0.field, $0.value) })
    }

    /// The collection whose list page is `page` (by its route), if any.
    func listedCollection(_ page: Page) -> LoadedCollection? {
        let route = unprefixed(page.route)
        return site.collections.first { $0.spec.listPage?.route == route }
    }

    /// Pages of `page` beyond itself: one per value of a field with `by:`, when `page` is a collection's list.
    func valuePages(of page: Page, layout: String, body: RenderedMarkdown, reads: PageReads) -> [RenderedPage] {
        guard let collection = listedCollection(page) else { return [] }
        var rendered: [RenderedPage] = []
        for pages in collection.spec.valuePages {
            guard let declared = collection.spec.field(pages.field), case .enumeration(let values) = declared.type.item else { continue }
            for value in values {
                let query = CollectionQuery(collection: collection.spec.name, criteria: [pages.field: value], location: collection.spec.location)
                let records = ordered(collection).filter(query.matches)
                guard !records.isEmpty else { continue }
                let route = localized(pages.route(of: value))
                reads.translations(unprefixed(route))
                var context = baseContext(for: page, route: route, body: body, reads: reads)
                context[collection.spec.name] = .object(listContext(collection, records, from: route, filter: (pages.field, value), reads: reads))
                rendered.append(RenderedPage(route: route, outputPath: String(route.dropFirst()) + "index.html",
                                             html: templates.render(context, with: layout), sourcePath: page.sourcePath,
                                             layout: layout, markdownLinks: Self.locations(of: body, in: page),
                                             translations: translations[unprefixed(route)] ?? [:], source: page.route))
            }
        }
        return rendered
    }

    /// The routes `valuePages(of:)` renders for the list page of `collection`.
    func valueRoutes(of collection: LoadedCollection) -> [String] {
        collection.spec.valuePages.flatMap { pages -> [String] in
            guard let declared = collection.spec.field(pages.field), case .enumeration(let values) = declared.type.item else { return [] }
            return values.filter { value in
                collection.records.contains(where: CollectionQuery(collection: collection.spec.name, criteria: [pages.field: value], location: collection.spec.location).matches)
            }.map { localized(pages.route(of: $0)) }
        }
    }

    /// A page per record of every collection with `pages:`, from its data and its prose (only those whose
    /// route is in `only`, when given).
    func renderRecordPages(only: RenderSelection? = nil, _ consume: (RenderedPage) -> RenderedPage) throws(DiagnosticsError) -> [RenderedPage] {
        var all: [(LoadedCollection, Record)] = []
        for collection in site.collections where collection.spec.recordPages != nil {
            guard templates.layouts.contains(collection.spec.recordPages!.layout) else {
                throw DiagnosticsError([.error(at: collection.spec.location,
                    "\(collection.spec.name) has a page per record, but there is no layout for them; add Templates/\(collection.spec.recordPages!.layout).mustache")])
            }
            if let only, !only.collections.contains(collection.spec.name) { continue }
            let pages = collection.spec.recordPages!
            all += collection.records.filter { only?.records?.contains(localized(pages.route(of: $0.id))) ?? true }.map { (collection, $0) }
        }
        let outcomes = parallelMap(all, threads: threads) { (collection, record) -> Result<RenderedPage, DiagnosticsError> in
            do throws(DiagnosticsError) { return .success(consume(try renderRecordPage(record, of: collection))) } catch { return .failure(error) }
        }
        var rendered: [RenderedPage] = []
        var diagnostics: [Diagnostic] = []
        for outcome in outcomes {
            switch outcome {
            case .success(let page): rendered.append(page)
            case .failure(let error): diagnostics += error.diagnostics
            }
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return rendered
    }

    /// The page of `record`, from its data and its prose in this language.
    func renderRecordPage(_ record: Record, of collection: LoadedCollection) throws(DiagnosticsError) -> RenderedPage {
        let spec = collection.spec, pages = spec.recordPages!
        let reads = PageReads()
        let builder = RecordContext(renderer: self, reads: reads)
        let route = localized(pages.route(of: record.id))
        reads.translations(unprefixed(route))
        let prose = record.prose[language.key]
        let body = prose.map { renderMarkdown(of: $0, route: route, reads: reads) } ?? .empty
        if let prose { bodies?.release(prose) }
        if let prose, !body.problems.isEmpty { throw DiagnosticsError(Self.diagnostics(for: body, of: prose)) }
        var page = Page(contentPath: "\(pages.prose)/\(record.id).md", sourcePath: "Content/data/\(spec.source)",
                        kind: .page, section: pages.prose, listsSection: nil, route: route,
                        title: prose.flatMap { $0.title.isEmpty ? nil : $0.title } ?? builder.title(of: record, in: spec),
                        description: builder.description(of: record, in: spec, prose: prose))
        page.language = language.key
        page.date = prose?.date
        page.params = prose?.params ?? []
        var context = baseContext(for: page, route: route, body: body, reads: reads)
        for query in prose?.queries ?? [] {
            guard let other = collectionsByName[query.collection] else { continue }
            context[query.collection] = .object(listContext(other, ordered(other).filter(query.matches), from: route, reads: reads))
        }
        let recordContext = TemplateValue.object(builder.context(record, in: collection, from: route))
        context[spec.singular] = recordContext
        context["record"] = recordContext
        if let mapping = spec.jsonLD {
            // JSON-LD names the records its references lead to.
            for field in spec.fields { if case .reference(let target) = field.type.item { reads.collection(target) } }
            context["json_ld"] = .text(jsonLD(record, of: collection, mapping: mapping))
        }
        if spec.listPage == nil { context["breadcrumbs"] = [] }
        return RenderedPage(route: route, outputPath: String(route.dropFirst()) + "index.html",
                            html: templates.render(context, with: pages.layout), sourcePath: prose?.sourcePath,
                            layout: pages.layout, markdownLinks: prose.map { Self.locations(of: body, in: $0) } ?? [:],
                            translations: translations[unprefixed(route)] ?? [:], source: RenderedPage.recordSource(spec.name),
                            reads: reads.sorted)
    }

    /// schema.org JSON-LD for a record from the collection's mapping (properties to fields), safe inside
    /// `<script>` (see `JSONText`).
    func jsonLD(_ record: Record, of collection: LoadedCollection, mapping: DataNode) -> String {
        var pairs: [(String, String?)] = [("@context", JSONText.string("https://schema.org"))]
        if let base = site.config.baseURL, let pages = collection.spec.recordPages {
            pairs.append(("@id", JSONText.string(base + RelativeURL.encodedPath(localized(pages.route(of: record.id)).dropFirst()))))
        }
        return JSONText.object(pairs + jsonLDPairs(record, of: collection, mapping: mapping))
    }

    private func jsonLDPairs(_ record: Record, of collection: LoadedCollection, mapping: DataNode) -> [(String, String?)] {
        guard case .mapping(let entries) = mapping.kind else { return [] }
        return entries.map { entry -> (String, String?) in
            let property = entry.key.scalarText ?? ""
            switch entry.value.kind {
            case .scalar(let text, _) where property.hasPrefix("@"):
                return (property, JSONText.string(text))
            case .scalar(let field, _):
                return (property, record.values[field].flatMap { jsonLDValue($0, of: collection.spec.field(field)) })
            case .mapping where property == "@type":
                let field = entry.value["field"]?.scalarText ?? ""
                let value = record.values[field]?.text(in: "") ?? ""
                let type = entry.value["map"]?[value]?.scalarText ?? entry.value["default"]?.scalarText
                return (property, type.map(JSONText.string))
            case .mapping:
                let nested = jsonLDPairs(record, of: collection, mapping: entry.value)
                return (property, nested.allSatisfy { $0.1 == nil || $0.0.hasPrefix("@") } ? nil : JSONText.object(nested))
            case .sequence:
                return (property, nil)
            }
        }
    }

    private func jsonLDValue(_ value: FieldValue, of field: DeclaredField?) -> String? {
        switch value {
        case .integer(let n): return String(n)
        case .number(let n): return String(n)
        case .bool(let b): return b ? "true" : "false"
        case .reference(let id):
            guard case .reference(let target)? = field?.type.item, let collection = collectionsByName[target],
                  let referenced = self.record(id, in: target) else { return JSONText.string(id) }
            if let base = site.config.baseURL, let pages = collection.spec.recordPages {
                return JSONText.string(base + RelativeURL.encodedPath(localized(pages.route(of: referenced.id)).dropFirst()))
            }
            return JSONText.string(RecordContext(renderer: self, reads: PageReads()).title(of: referenced, in: collection.spec))
        case .list(let items):
            let values = items.compactMap { jsonLDValue($0, of: field) }
            return values.isEmpty ? nil : JSONText.array(values)
        case .enumeration(let name):
            guard let field, let spec = site.collections.first(where: { $0.spec.fields.contains(field) })?.spec else { return JSONText.string(name) }
            return JSONText.string(strings.label(spec.name, field.name, name))
        default:
            return JSONText.string(value.text(in: language.key))
        }
    }
}

extension String {
    /// How many times `piece` occurs.
    func components(of piece: String) -> Int {
        split(separator: piece, omittingEmptySubsequences: false).count - 1
    }
}
