import SiteData
import SiteIO
import SiteModel

/// The collections a site declares: their data read from YAML, JSON or CSV and checked (`SiteData`), their
/// records' prose attached, and the pages that ask for them checked.
extension SiteLoader {
    /// A data file under `Content/data/`, parsed (nil when it did not parse: its errors are reported).
    struct DataFile {
        var path: String
        var node: DataNode?
        var failed: Bool
    }

    /// Parses `Content/data/<path>` by its extension. `defaultLanguage` names the language of a CSV column
    /// that also has per-language columns (`name` beside `name.zh`).
    func parseData(_ path: String, contentDir: String, defaultLanguage: String) -> (DataFile, [Diagnostic]) {
        let shown = "Content/data/" + path
        do throws(DiagnosticsError) {
            let text = try readText(joinPath(contentDir, "data/" + path), shown: shown)
            let node: DataNode?
            if path.hasSuffix(".json") {
                node = try JSONReader.read(text, file: shown)
            } else if path.hasSuffix(".csv") {
                node = try CSVReader.read(text, file: shown, defaultLanguage: defaultLanguage)
            } else {
                node = try YAMLDocument.parse(text, file: shown)
            }
            return (DataFile(path: path, node: node, failed: false), [])
        } catch {
            return (DataFile(path: path, node: nil, failed: true), error.diagnostics)
        }
    }

    static let dataExtensions = [".yaml", ".yml", ".json", ".csv"]

    /// Each declared collection's records, from the data file it names (or `NAME.yaml`/`.yml`/`.json`/`.csv`);
    /// the data files no collection claims; the names of collections whose data had errors.
    static func loadCollections(_ specs: [CollectionSpec], files: [String: DataFile], config: SiteConfig)
        -> (collections: [LoadedCollection], rest: [DataFile], failed: Set<String>, diagnostics: [Diagnostic]) {
        var diagnostics = CollectionSpecReader.checkReferences(specs)
        var claimed: Set<String> = []
        var collections: [LoadedCollection] = []
        var failed: Set<String> = []
        let languages = config.languages.map(\.key)
        for spec in specs {
            let candidates = spec.source.isEmpty ? dataExtensions.map { spec.name + $0 } : [spec.source]
            guard let path = candidates.first(where: { files[$0] != nil }), let file = files[path] else {
                let available = files.keys.sorted()
                diagnostics.append(.error(at: spec.location, spec.source.isEmpty
                    ? "the collection '\(spec.name)' has no data: add Content/data/\(spec.name).yaml (or .json, or .csv), or name its file with 'source:'"
                    : "the collection '\(spec.name)' reads Content/data/\(spec.source), which does not exist"
                        + Suggestion.didYouMean(spec.source, in: available, otherwise: "")))
                failed.insert(spec.name)
                continue
            }
            claimed.insert(path)
            let others = spec.source.isEmpty ? candidates.filter { $0 != path && files[$0] != nil } : []
            if !others.isEmpty {
                // Two files for one collection: which one is meant is a guess Orbis does not make.
                diagnostics.append(.error(at: .file("Content/data/" + others[0]),
                    "Content/data/\(path) and Content/data/\(others[0]) both hold the records of '\(spec.name)'; remove one, or name the one to use with 'source:' in its declaration"))
                failed.insert(spec.name)
                continue
            }
            if file.failed { failed.insert(spec.name) }
            var reader = RecordReader(spec: spec, file: "Content/data/" + path, languages: languages, table: path.hasSuffix(".csv"))
            let records = reader.read(file.node)
            if !reader.diagnostics.isEmpty { failed.insert(spec.name) }
            diagnostics += reader.diagnostics
            collections.append(LoadedCollection(spec: spec, records: records))
        }
        diagnostics += References.check(collections.filter { !failed.contains($0.spec.name) })
        let rest = files.values.filter { !claimed.contains($0.path) && !$0.path.hasSuffix(".collection.yaml") }.sorted { $0.path < $1.path }
        return (collections, rest, failed, diagnostics)
    }

    /// `Content/<prose>/<id>.md` (and `<id>.<lang>.md`) is a record's prose, shown on its page, instead of a
    /// page of its own; a file there whose name is no id is an error (unless the collection's data failed).
    static func attachProse(pages: inout [Page], collections: inout [LoadedCollection], failed: Set<String>,
                            defaultLanguage: String) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for c in collections.indices {
            guard let pagesSpec = collections[c].spec.recordPages else { continue }
            let spec = collections[c].spec
            var index: [String: Int] = [:]
            for (i, record) in collections[c].records.enumerated() { index[record.id] = i }
            pages.removeAll { page in
                guard page.section == pagesSpec.prose, page.kind == .page else { return false }
                let id = String(page.contentPath.dropFirst(pagesSpec.prose.count + 1).dropLast(3))
                if let i = index[id] {
                    // The collection decides a record page's layout and address; prose cannot change them.
                    let owner = "a \(spec.singular)'s page uses the layout and address its collection declares (pages: in site.yaml)"
                    if let layout = page.layout {
                        diagnostics.append(.error(at: page.layoutLocation ?? SourceLocation(file: page.sourcePath),
                            "'layout: \(layout)' has no effect here: \(owner); remove it, or change the collection's 'layout:'"))
                    }
                    if page.list != nil {
                        diagnostics.append(.error(at: page.listLocation ?? SourceLocation(file: page.sourcePath),
                            "'list' has no effect here: \(owner); list pages with a page of their own"))
                    }
                    if page.paginate != nil {
                        diagnostics.append(.error(at: SourceLocation(file: page.sourcePath, line: 1, column: 1),
                            "'paginate' has no effect here: \(owner); remove it"))
                    }
                    if !page.route.hasSuffix("/" + id + "/") && page.route != "/" {
                        diagnostics.append(.error(at: SourceLocation(file: page.sourcePath, line: 1, column: 1),
                            "'slug' has no effect here: \(owner), from the record's id ('\(id)'); remove it"))
                    }
                    collections[c].records[i].prose[page.language.isEmpty ? defaultLanguage : page.language] = page
                } else if !failed.contains(spec.name) {
                    let ids = collections[c].records.map(\.id)
                    diagnostics.append(.error(at: SourceLocation(file: page.sourcePath),
                        "\(page.sourcePath) is prose for a \(spec.singular) page, but no \(spec.singular) has the id '\(id)'"
                        + Suggestion.didYouMean(id, in: ids, otherwise: ids.isEmpty ? "" : "; name it after an id in \(spec.source.isEmpty ? "Content/data/\(spec.name).*" : "Content/data/" + spec.source)")))
                }
                return true
            }
        }
        return diagnostics
    }

    /// A generated list page is titled by its language's `<collection>.title` string when there is one.
    static func titleGeneratedListPages(_ site: inout Site) {
        for index in site.pages.indices where site.pages[index].isGenerated {
            let page = site.pages[index]
            guard let collection = site.collections.first(where: { $0.spec.listPage.map { String($0.route.dropFirst()) + "index.md" } == page.contentPath }),
                  let title = site.strings[page.language]?.values["\(collection.spec.name).title"] else { continue }
            site.pages[index].title = title
        }
    }

    /// A list page for every collection whose list route no Markdown page has, in every language (titled
    /// by the collection's name, or its `<collection>.title` string).
    static func generatedListPages(for collections: [LoadedCollection], existing: [Page]) -> [Page] {
        collections.compactMap { collection -> Page? in
            guard let list = collection.spec.listPage else { return nil }
            let contentPath = String(list.route.dropFirst()) + "index.md"
            guard !existing.contains(where: { $0.contentPath == contentPath }) else { return nil }
            let folder = String(list.route.dropFirst().dropLast())
            let name = collection.spec.name
            return Page(contentPath: contentPath, sourcePath: "Content/\(folder)/", kind: .section,
                        section: folder.split(separator: "/").dropLast().joined(separator: "/"), listsSection: folder,
                        route: list.route, title: name.prefix(1).uppercased() + name.dropFirst(), isGenerated: true)
        }
    }

    /// What a page asks for with `collections:` must exist: the collection, its fields, and values an enum or
    /// a country field can hold.
    static func checkQueries(_ pages: [Page], collections: [LoadedCollection]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let names = collections.map(\.spec.name)
        for page in pages {
            for query in page.queries {
                guard let spec = collections.first(where: { $0.spec.name == query.collection })?.spec else {
                    diagnostics.append(.error(at: query.location, "'collections' names '\(query.collection)', which site.yaml does not declare"
                        + Suggestion.didYouMean(query.collection, in: names, otherwise: names.isEmpty ? "" : " (declared: \(names.joined(separator: ", ")))")))
                    continue
                }
                for (field, value) in query.criteria.sorted(by: { $0.key < $1.key }) {
                    let at = query.criteriaLocations[field] ?? query.location
                    guard let declared = spec.field(field) else {
                        let fields = spec.fields.map(\.name)
                        diagnostics.append(.error(at: at, "'collections: \(spec.name)' filters on '\(field)', which is no field of \(spec.name)"
                            + Suggestion.didYouMean(field, in: fields, otherwise: " (its fields are \(fields.joined(separator: ", ")))")))
                        continue
                    }
                    switch declared.type.item {
                    case .enumeration(let values) where !values.contains(value):
                        diagnostics.append(.error(at: at, "'\(field)' must be one of \(values.joined(separator: ", ")), found \(value.debugDescription)" + Suggestion.didYouMean(value, in: values)))
                    case .country where Country.name(for: value) == nil:
                        diagnostics.append(.error(at: at, "'\(field)' must be an ISO 3166-1 alpha-2 code like FR or CA, found \(value.debugDescription)"))
                    default:
                        break
                    }
                }
            }
        }
        return diagnostics
    }
}

extension SiteLoader {
    /// Each collection map's outlines, read from its GeoJSON file under `Templates/` (Polygon and
    /// MultiPolygon geometries of a FeatureCollection, a Feature or a bare geometry; other geometries are
    /// not drawn). One read per file, however many maps use it.
    func loadMapOutlines(_ collections: inout [LoadedCollection], root: String) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var read: [String: [[[GeoPoint]]]] = [:]
        for index in collections.indices {
            guard let map = collections[index].spec.map else { continue }
            if read[map.base] == nil {
                let shown = "Templates/" + map.base
                let file = joinPath(joinPath(root, "Templates"), map.base)
                guard fileSystem.fileExists(file) else {
                    diagnostics.append(.error(at: map.location, "the map of \(collections[index].spec.name) draws \(shown), which does not exist; "
                        + "add a GeoJSON file of outlines there (this repository's scripts/basemap.py writes one from Natural Earth), or name another with 'base:'"))
                    read[map.base] = []
                    continue
                }
                do throws(DiagnosticsError) {
                    let node = try JSONReader.read(try readText(file, shown: shown), file: shown)
                    var rings: [[[GeoPoint]]] = []
                    var problems: [Diagnostic] = []
                    if let node { Self.outlines(node, into: &rings, problems: &problems) }
                    rings.removeAll { $0.isEmpty }
                    if rings.isEmpty && problems.isEmpty {
                        problems.append(.error(at: .file(shown), "holds no Polygon or MultiPolygon outlines; a map needs GeoJSON features with those geometries"))
                    }
                    diagnostics += problems
                    read[map.base] = rings
                } catch {
                    diagnostics += error.diagnostics
                    read[map.base] = []
                }
            }
            collections[index].spec.map?.outlines = read[map.base] ?? []
        }
        return diagnostics
    }

    /// One entry per feature (or per bare geometry): its rings.
    static func outlines(_ node: DataNode, into features: inout [[[GeoPoint]]], problems: inout [Diagnostic]) {
        guard case .mapping(let pairs) = node.kind else { return }
        if pairs.first(where: { $0.key.scalarText == "type" })?.value.scalarText == "FeatureCollection" {
            if case .sequence(let items)? = pairs.first(where: { $0.key.scalarText == "features" })?.value.kind {
                for item in items { outlines(item, into: &features, problems: &problems) }
            }
            return
        }
        var rings: [[GeoPoint]] = []
        self.rings(of: node, into: &rings, problems: &problems)
        features.append(rings)
    }

    static func rings(of node: DataNode, into rings: inout [[GeoPoint]], problems: inout [Diagnostic]) {
        guard case .mapping(let pairs) = node.kind else { return }
        func value(_ key: String) -> DataNode? { pairs.first { $0.key.scalarText == key }?.value }
        switch value("type")?.scalarText {
        case "Feature":
            if let geometry = value("geometry") { self.rings(of: geometry, into: &rings, problems: &problems) }
        case "GeometryCollection":
            if case .sequence(let geometries)? = value("geometries")?.kind {
                for geometry in geometries { self.rings(of: geometry, into: &rings, problems: &problems) }
            }
        case "Polygon":
            if let coordinates = value("coordinates") { polygon(coordinates, into: &rings, problems: &problems) }
        case "MultiPolygon":
            if case .sequence(let polygons)? = value("coordinates")?.kind {
                for polygon in polygons { Self.polygon(polygon, into: &rings, problems: &problems) }
            }
        default:
            return
        }
    }

    /// A polygon's rings (`[[[lon, lat], …], …]`); a ring with a point that is not two numbers in range is an
    /// error at that point.
    static func polygon(_ node: DataNode, into rings: inout [[GeoPoint]], problems: inout [Diagnostic]) {
        guard case .sequence(let ringNodes) = node.kind else {
            problems.append(.error(at: node.location, "a polygon's coordinates are a list of rings, each a list of [longitude, latitude] pairs"))
            return
        }
        for ringNode in ringNodes {
            guard case .sequence(let pointNodes) = ringNode.kind else {
                problems.append(.error(at: ringNode.location, "a ring is a list of [longitude, latitude] pairs"))
                return
            }
            var ring: [GeoPoint] = []
            ring.reserveCapacity(pointNodes.count)
            for pointNode in pointNodes {
                guard case .sequence(let numbers) = pointNode.kind, numbers.count >= 2,
                      let longitude = numbers[0].scalarText.flatMap(Double.init), let latitude = numbers[1].scalarText.flatMap(Double.init),
                      (-180...180).contains(longitude), (-90...90).contains(latitude) else {
                    problems.append(.error(at: pointNode.location, "a point of an outline is [longitude, latitude] in degrees (GeoJSON order), found \(pointNode.typeName)"))
                    return
                }
                ring.append(GeoPoint(latitude: latitude, longitude: longitude))
            }
            if ring.count >= 3 { rings.append(ring) }
        }
    }
}

extension SiteLoader {
    /// Smart punctuation, as Markdown gets it, for the text that does not go through Markdown: titles and
    /// descriptions in front matter and `site.yaml`, menu labels, and collections' text values.
    static func smartenText(_ config: inout SiteConfig, _ pages: inout [Page], _ collections: inout [LoadedCollection]) {
        let smart = Typography.smart
        config.title = smart(config.title)
        config.description = config.description.map(smart)
        config.titles = config.titles.mapValues(smart)
        config.descriptions = config.descriptions.mapValues(smart)
        for index in config.menu.indices {
            config.menu[index].title = config.menu[index].title.map(smart)
            config.menu[index].titles = config.menu[index].titles.mapValues(smart)
        }
        // Pages of files were smartened as they were read (and cached so); the build makes the others.
        for index in pages.indices where pages[index].isGenerated { smartened(&pages[index]) }
        for index in collections.indices {
            let types = Dictionary(uniqueKeysWithValues: collections[index].spec.fields.map { ($0.name, $0.type) })
            for record in collections[index].records.indices {
                for (language, page) in collections[index].records[record].prose {
                    var page = page
                    if smartened(&page) { collections[index].records[record].prose[language] = page }
                }
                for (field, value) in collections[index].records[record].values {
                    guard let type = types[field], type.item == .text || type.item == .localized else { continue }
                    let changed = smarten(value)
                    if changed != value { collections[index].records[record].values[field] = changed }
                }
            }
        }
    }

    /// `page`'s title and description smartened; written back only when that changed something (most text
    /// has nothing to change, and a page the cache of `orbis serve` also holds would otherwise be copied
    /// whole by each assignment). Smartening smart text changes nothing, so a page smartened as it is loaded
    /// (and cached) is left as it is here.
    @discardableResult
    static func smartened(_ page: inout Page) -> Bool {
        let smart = Typography.smart
        let title = smart(page.title), description = page.description.map(smart)
        let changed = (title: title != page.title, description: description != page.description)
        if changed.title { page.title = title }
        if changed.description { page.description = description }
        return changed.title || changed.description
    }

    static func smarten(_ value: FieldValue) -> FieldValue {
        switch value {
        case .text(let text): .text(Typography.smart(text))
        case .localized(let text, let others): .localized(Typography.smart(text), others.mapValues(Typography.smart))
        case .list(let items): .list(items.map(smarten))
        default: value
        }
    }
}
