import SiteModel

/// Reads collection declarations (`collections:` in `site.yaml`, or a `Content/data/NAME.collection.yaml`):
///
/// ```yaml
/// people:
///   singular: person             # one record's noun (default: the name made singular)
///   source: people.csv           # under Content/data/ (default: NAME.yaml, .yml, .json or .csv)
///   id: id                       # the id field (default: id)
///   title: name                  # what a record's page is titled by (default: name, title, or the id)
///   fields: {name: {type: localized, required: true}, country: country, role: {type: enum, values: […]}}
///   pages: {route: "/people/{id}/", layout: person}   # prose in Content/people/<id>.md
///   list: {route: /people/, layout: people, sort: [name], group: country}
///   by: {role: "/people/role/{value}/"}
///   json: people.json
///   json_ld: {"@type": CollegeOrUniversity, name: name, sameAs: website}
///   map: {field: place, label: city, hub: {name: Shanghai, point: [31.23, 121.47]}, views: [{id: world}]}
/// ```
public enum CollectionSpecReader {
    static let keys = ["singular", "source", "id", "title", "fields", "pages", "list", "by", "json", "json_ld", "map"]
    /// Names a record's context has besides its fields.
    public static let reserved: Set<String> = ["url", "referenced_by", "formatted"]

    /// The declarations in a `collections:` mapping, checked on their own (references between collections are
    /// checked by `checkReferences` once all are read).
    public static func read(_ node: DataNode, diagnostics: inout [Diagnostic]) -> [CollectionSpec] {
        guard case .mapping(let pairs) = node.kind else {
            diagnostics.append(.error(at: node.location, "'collections' must be a mapping of collection names to declarations, like {people: {fields: …}}; found \(node.typeName)"))
            return []
        }
        return pairs.compactMap { spec(name: $0.key, $0.value, diagnostics: &diagnostics) }
    }

    static func spec(name nameNode: DataNode, _ node: DataNode, diagnostics: inout [Diagnostic]) -> CollectionSpec? {
        let name = nameNode.scalarText ?? ""
        guard FieldValueReader.isSlug(name) else {
            diagnostics.append(.error(at: nameNode.location, "a collection's name is a slug (lowercase letters, digits and '-', like people), found \(FieldReader.describe(nameNode))"))
            return nil
        }
        var problems: [Diagnostic] = []
        var fields = FieldReader(node, what: "the collection '\(name)'", diagnostics: &problems)
        problems += fields.unknownKeys(known: keys)
        let singular = fields.string("singular") ?? Self.singular(of: name)
        let source = fields.string("source") ?? ""
        let idField = fields.string("id") ?? "id"
        var declared: [DeclaredField] = []
        if let fieldsNode = fields.node("fields") {
            if case .mapping(let pairs) = fieldsNode.kind {
                for pair in pairs {
                    let fieldName = pair.key.scalarText ?? ""
                    if reserved.contains(fieldName) {
                        problems.append(.error(at: pair.key.location, "'\(fieldName)' is a name every record already has in templates (its page's address, what refers to it, its formats); call the field something else" + (fieldName == "url" ? ", like 'website'" : "")))
                        continue
                    }
                    if declared.contains(where: { $0.name == fieldName }) {
                        problems.append(.error(at: pair.key.location, "the field '\(fieldName)' is declared twice"))
                        continue
                    }
                    if let field = FieldValueReader.declaration(key: pair.key, value: pair.value, diagnostics: &problems) { declared.append(field) }
                }
            } else {
                problems.append(.error(at: fieldsNode.location, "'fields' must be a mapping of field names to types, like {name: text, country: country}; found \(fieldsNode.typeName)"))
            }
        } else {
            problems.append(.error(at: node.location, "the collection '\(name)' declares no fields; add 'fields:' with at least its '\(idField)'"))
        }
        // The id is part of URLs: always a required slug.
        if let index = declared.firstIndex(where: { $0.name == idField }) {
            if declared[index].type != .slug && declared[index].type != .text {
                problems.append(.error(at: declared[index].location, "the id field '\(idField)' must be a slug (it is part of URLs), declared as \(declared[index].type)"))
            }
            declared[index].type = .slug
            declared[index].required = true
        } else {
            declared.insert(DeclaredField(name: idField, type: .slug, required: true, location: node.location), at: 0)
        }
        let names = declared.map(\.name)
        func known(_ field: String, at location: SourceLocation, _ what: String) -> Bool {
            if names.contains(field) { return true }
            problems.append(.error(at: location, "\(what) '\(field)', which is no field of \(name)" + Suggestion.didYouMean(field, in: names, otherwise: " (its fields are \(names.joined(separator: ", ")))")))
            return false
        }
        let titleField = fields.string("title") ?? (["name", "title"].first(where: names.contains) ?? idField)
        if let node = fields.node("title") { _ = known(titleField, at: node.location, "'title' names the field") }

        var spec = CollectionSpec(name: name, singular: singular, source: source, idField: idField, fields: declared,
                                  titleField: titleField, location: nameNode.location)
        if let pagesNode = fields.node("pages") {
            var pages = FieldReader(pagesNode, what: "the pages of \(name)", diagnostics: &problems)
            problems += pages.unknownKeys(known: ["route", "layout", "prose"])
            let route = pages.string("route") ?? "/\(name)/{id}/"
            if let node = pages.node("route") ?? Optional(pagesNode) { checkRoute(route, placeholder: "{id}", at: node.location, &problems) }
            let layout = pages.string("layout") ?? singular
            let prose = pages.string("prose") ?? route.split(separator: "/").first.map(String.init) ?? name
            problems += pages.diagnostics
            spec.recordPages = RecordPages(route: route, layout: layout, prose: prose == "{id}" ? name : prose)
        }
        if let listNode = fields.node("list") {
            var list = FieldReader(listNode, what: "the list of \(name)", diagnostics: &problems)
            problems += list.unknownKeys(known: ["route", "layout", "sort", "group"])
            let route = list.string("route") ?? "/\(name)/"
            checkRoute(route, placeholder: nil, at: list.node("route")?.location ?? listNode.location, &problems)
            var sort: [SortKey] = []
            if let sortNode = list.node("sort") {
                let items: [DataNode] = if case .sequence(let items) = sortNode.kind { items } else { [sortNode] }
                for item in items {
                    guard let text = item.scalarText else {
                        problems.append(.error(at: item.location, "'sort' lists field names, like [name] or [-since, name]"))
                        continue
                    }
                    let key = SortKey(field: text.hasPrefix("-") ? String(text.dropFirst()) : text, descending: text.hasPrefix("-"))
                    if known(key.field, at: item.location, "'sort' names the field") { sort.append(key) }
                }
            }
            if sort.isEmpty { sort = [SortKey(field: titleField)] }
            let group = list.string("group")
            if let group, let node = list.node("group"), known(group, at: node.location, "'group' names the field"),
               let field = spec.field(group), field.type.isList || field.type == .point || field.type == .markdown {
                problems.append(.error(at: node.location, "records can be grouped by a field with one value each (text, country, an enum…), not by '\(group)' (\(field.type))"))
            }
            problems += list.diagnostics
            spec.listPage = ListPage(route: route, layout: list.string("layout"), sort: sort, group: group)
        }
        if let byNode = fields.node("by") {
            if case .mapping(let pairs) = byNode.kind {
                for pair in pairs {
                    let field = pair.key.scalarText ?? ""
                    guard known(field, at: pair.key.location, "'by' names the field"), let declared = spec.field(field) else { continue }
                    guard case .enumeration = declared.type.item else {
                        problems.append(.error(at: pair.key.location, "a page per value needs an enum field (or a list of one); '\(field)' is \(declared.type)"))
                        continue
                    }
                    guard let route = pair.value.scalarText else {
                        problems.append(.error(at: pair.value.location, "'by.\(field)' is a route like /\(name)/\(field)/{value}/"))
                        continue
                    }
                    checkRoute(route, placeholder: "{value}", at: pair.value.location, &problems)
                    spec.valuePages.append(ValuePages(field: field, route: route))
                }
            } else {
                problems.append(.error(at: byNode.location, "'by' maps a field to a route, like {role: \"/people/role/{value}/\"}"))
            }
        }
        if let json = fields.string("json"), let node = fields.node("json") {
            if json.hasPrefix("/") || !json.hasSuffix(".json") || json.contains("..") {
                problems.append(.error(at: node.location, "'json' is a path in the output ending in .json, like \(name).json, found \(json.debugDescription)"))
            } else {
                spec.json = json
            }
        }
        if let mapping = fields.node("json_ld") {
            checkJSONLD(mapping, fields: names, &problems)
            spec.jsonLD = mapping
        }
        if let mapNode = fields.node("map") {
            spec.map = map(mapNode, of: spec, &problems)
        }
        problems += fields.diagnostics
        diagnostics += problems
        return problems.contains { $0.severity == .error } ? nil : spec
    }

    /// A collection's map: its point field, what markers are labelled by, the outlines (a GeoJSON file under
    /// `Templates/`), a hub and the views.
    static func map(_ node: DataNode, of spec: CollectionSpec, _ problems: inout [Diagnostic]) -> CollectionMap? {
        let names = spec.fields.map(\.name)
        func known(_ field: String, _ location: SourceLocation, _ what: String, _ problems: inout [Diagnostic]) -> Bool {
            if names.contains(field) { return true }
            problems.append(.error(at: location, "\(what) '\(field)', which is no field of \(spec.name)" + Suggestion.didYouMean(field, in: names, otherwise: " (its fields are \(names.joined(separator: ", ")))")))
            return false
        }
        var reader = FieldReader(node, what: "the map of \(spec.name)", diagnostics: &problems)
        problems += reader.unknownKeys(known: ["field", "label", "base", "hub", "views"])
        defer { problems += reader.diagnostics }
        guard let field = reader.string("field", required: true), let fieldNode = reader.node("field"),
              known(field, fieldNode.location, "the map's 'field' names the field", &problems) else { return nil }
        if spec.field(field)?.type != .point {
            problems.append(.error(at: fieldNode.location, "a map shows a point field (type: point), and '\(field)' is \(spec.field(field)!.type)"))
            return nil
        }
        let label = reader.string("label")
        if let label, let labelNode = reader.node("label"), !known(label, labelNode.location, "the map's 'label' names the field", &problems) { return nil }
        let base = reader.string("base") ?? "maps/countries-110m.geojson"
        if base.hasPrefix("/") || base.split(separator: "/").contains("..") {
            problems.append(.error(at: reader.node("base")!.location, "'base' is a GeoJSON file under Templates/, like maps/countries-110m.geojson, found \(base.debugDescription)"))
        }
        var hub: MapHub?
        if let hubNode = reader.node("hub") {
            var hubReader = FieldReader(hubNode, what: "the map's hub", diagnostics: &problems)
            problems += hubReader.unknownKeys(known: ["name", "point"])
            let name = hubReader.string("name", required: true)
            if let pointNode = hubReader.node("point") {
                if case .point(let latitude, let longitude)? = FieldValueReader(languages: []).read(pointNode, as: .point, key: "point", diagnostics: &problems) {
                    hub = MapHub(labels: ["": name ?? ""], point: GeoPoint(latitude: latitude, longitude: longitude))
                }
            } else {
                problems.append(.error(at: hubNode.location, "the map's hub is missing 'point'; add 'point: [latitude, longitude]'"))
            }
            problems += hubReader.diagnostics
        }
        var views: [MapView] = []
        if let viewsNode = reader.node("views") {
            guard case .sequence(let items) = viewsNode.kind, !items.isEmpty else {
                problems.append(.error(at: viewsNode.location, "'views' is a list of maps, like [{id: world}, {id: europe, bounds: [35, -10, 60, 30]}]"))
                return nil
            }
            for item in items {
                var viewReader = FieldReader(item, what: "a map view", diagnostics: &problems)
                problems += viewReader.unknownKeys(known: ["id", "bounds"])
                guard let id = viewReader.string("id", required: true) else { problems += viewReader.diagnostics; continue }
                if !FieldValueReader.isSlug(id) {
                    problems.append(.error(at: viewReader.node("id")!.location, "a view's id is a slug (it is part of the page's #anchors), like europe; found \(id.debugDescription)"))
                } else if views.contains(where: { $0.id == id }) {
                    problems.append(.error(at: viewReader.node("id")!.location, "the view '\(id)' is declared twice"))
                }
                var bounds: (south: Double, west: Double, north: Double, east: Double)?
                if let boundsNode = viewReader.node("bounds") {
                    let numbers: [Double] = if case .sequence(let values) = boundsNode.kind { values.compactMap { $0.scalarText.flatMap(Double.init) } } else { [] }
                    if numbers.count == 4, numbers[0] < numbers[2], numbers[1] < numbers[3],
                       numbers[0] >= -90, numbers[2] <= 90, numbers[1] >= -180, numbers[3] <= 180 {
                        bounds = (numbers[0], numbers[1], numbers[2], numbers[3])
                    } else {
                        problems.append(.error(at: boundsNode.location, "'bounds' is [south, west, north, east] in degrees, south below north and west below east, like [41.3, -5.2, 51.1, 9.6]"))
                    }
                }
                problems += viewReader.diagnostics
                views.append(MapView(id: id, bounds: bounds, titles: [:]))
            }
        }
        if views.isEmpty { views = [MapView(id: "all", bounds: nil, titles: [:])] }
        return CollectionMap(field: field, label: label, base: base, hub: hub, views: views, location: node.location)
    }

    /// The English singular of a collection's name, for messages and the record's name in templates
    /// (`people` → `person`, `events` → `event`, `universities` → `university`); `singular:` overrides it.
    static func singular(of name: String) -> String {
        let irregular = ["people": "person", "children": "child", "men": "man", "women": "woman", "staff": "staff",
                         "news": "news", "series": "series", "alumni": "alumnus", "faculty": "faculty", "data": "data"]
        if let word = irregular[name] { return word }
        if name.hasSuffix("ies"), name.count > 4 { return String(name.dropLast(3)) + "y" }
        if name.hasSuffix("sses") || name.hasSuffix("shes") || name.hasSuffix("ches") || name.hasSuffix("xes") { return String(name.dropLast(2)) }
        if name.hasSuffix("s"), !name.hasSuffix("ss"), name.count > 1 { return String(name.dropLast()) }
        return name
    }

    static func checkRoute(_ route: String, placeholder: String?, at location: SourceLocation, _ problems: inout [Diagnostic]) {
        guard route.hasPrefix("/"), route.hasSuffix("/"), !route.contains("//"), !route.contains("..") else {
            problems.append(.error(at: location, "a route starts and ends with /, like /people/\(placeholder ?? ""), found \(route.debugDescription)"))
            return
        }
        if let placeholder, route.components(of: placeholder) != 1 {
            problems.append(.error(at: location, "the route \(route.debugDescription) must hold \(placeholder) once (where each \(placeholder == "{id}" ? "record's id" : "value") goes)"))
        }
    }

    /// Every value of a JSON-LD mapping names a field (or, under `@type`, is the type, or maps an enum's values
    /// to types: `{"@type": {field: kind, map: {university: CollegeOrUniversity}, default: EducationalOrganization}}`).
    static func checkJSONLD(_ node: DataNode, fields: [String], _ problems: inout [Diagnostic]) {
        guard case .mapping(let pairs) = node.kind else {
            problems.append(.error(at: node.location, "'json_ld' maps schema.org properties to fields, like {\"@type\": CollegeOrUniversity, name: name}"))
            return
        }
        for pair in pairs {
            let property = pair.key.scalarText ?? ""
            switch pair.value.kind {
            case .scalar(let text, _) where property.hasPrefix("@"):
                _ = text
            case .scalar(let field, _):
                if !fields.contains(field) {
                    problems.append(.error(at: pair.value.location, "json_ld '\(property)' names '\(field)', which is no field"
                        + Suggestion.didYouMean(field, in: fields, otherwise: " (the fields are \(fields.joined(separator: ", ")))")))
                }
            case .mapping where property == "@type":
                var reader = FieldReader(pair.value, what: "'@type'", diagnostics: &problems)
                problems += reader.unknownKeys(known: ["field", "map", "default"])
                if let field = reader.string("field"), !fields.contains(field) {
                    problems.append(.error(at: reader.node("field")!.location, "'@type' names '\(field)', which is no field" + Suggestion.didYouMean(field, in: fields)))
                }
                problems += reader.diagnostics
            case .mapping:
                checkJSONLD(pair.value, fields: fields, &problems)
            case .sequence:
                problems.append(.error(at: pair.value.location, "json_ld '\(property)' names one field (a list field gives a list)"))
            }
        }
    }

    /// References must name declared collections.
    public static func checkReferences(_ specs: [CollectionSpec]) -> [Diagnostic] {
        let names = specs.map(\.name)
        var diagnostics: [Diagnostic] = []
        for spec in specs {
            for field in spec.fields {
                if case .reference(let target) = field.type.item, !names.contains(target) {
                    diagnostics.append(.error(at: field.location, "'\(field.name)' refers to the collection '\(target)', which is not declared"
                        + Suggestion.didYouMean(target, in: names, otherwise: names.isEmpty ? "" : " (declared: \(names.joined(separator: ", ")))")))
                }
            }
        }
        return diagnostics
    }
}

extension String {
    /// How many times `piece` occurs (without overlaps).
    func components(of piece: String) -> Int {
        split(separator: piece, omittingEmptySubsequences: false).count - 1
    }
}
