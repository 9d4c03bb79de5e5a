import SiteData
import SiteModel

/// Turns one Markdown file into a `Page`: front matter fields typed and checked, route derived from its path.
struct PageLoader {
    static let knownFields: [String] = ["title", "description", "layout", "slug", "weight", "draft", "date", "list", "paginate", "collections"]

    /// - Parameters:
    ///   - contentPath: path relative to `Content/`, e.g. `programs/ottawa.md`.
    ///   - sourcePath: path relative to the site root, for diagnostics.
    ///   - params: the extra fields the site declares (`params:` in `site.yaml`); any other key is an error.
    ///   - titleRequired: false for a record's prose, whose record gives the title.
    static func load(source: String, contentPath: String, sourcePath: String,
                     params: [String: DeclaredField] = [:], titleRequired: Bool = true) throws(DiagnosticsError) -> Page {
        let split = try FrontMatter.split(source, file: sourcePath)
        var diagnostics: [Diagnostic] = []
        let fileStart = SourceLocation(file: sourcePath, line: 1, column: 1)
        let root = try split.yaml.flatMap { yaml throws(DiagnosticsError) in try YAMLDocument.parse(yaml, file: sourcePath, firstLine: split.yamlLine) }
        guard let root else {
            if !titleRequired && params.values.allSatisfy({ !$0.required }) {
                let place = Self.place(contentPath: contentPath, slug: nil)
                return Page(contentPath: contentPath, sourcePath: sourcePath, kind: place.kind, section: place.section,
                            listsSection: place.listsSection, route: place.route, title: "",
                            body: split.body, bodyLine: split.bodyLine)
            }
            throw DiagnosticsError([.error(at: fileStart, split.yaml == nil
                ? "page has no front matter; start the file with '---', a line 'title: ...', and '---'"
                : "front matter is empty; add 'title: ...'")])
        }
        var fields = FieldReader(root, what: "front matter", diagnostics: &diagnostics)
        let title = fields.string("title", required: titleRequired)
        let description = fields.string("description")
        let layout = fields.string("layout")
        let slug = fields.string("slug")
        let weight = fields.int("weight")
        let draft = fields.bool("draft") ?? false
        let date = fields.date("date")
        let list = fields.string("list")
        let paginate = fields.int("paginate", minimum: 1)
        diagnostics += fields.diagnostics
        let queries = fields.node("collections").map { Self.queries($0, diagnostics: &diagnostics) } ?? []

        if let slug, let node = fields.node("slug"),
           slug.isEmpty || slug.contains("/") || slug.contains("\\") || slug == "." || slug == ".." {
            diagnostics.append(.error(at: node.location, "'slug' must be one URL segment without '/', found \"\(slug)\""))
        }

        var values: [(key: String, value: Value)] = []
        for pair in fields.pairs {
            let key = pair.key.scalarText ?? ""
            if knownFields.contains(key) { continue }
            guard let field = params[key] else {
                diagnostics.append(.error(at: pair.key.location, "unknown front matter key '\(key)'" + Suggestion.didYouMean(
                    key, in: knownFields + params.keys.sorted(),
                    otherwise: "; declare it in site.yaml under 'params:' (like 'params: {\(key): text}'), or use one of \(knownFields.joined(separator: ", "))")))
                continue
            }
            if let value = FieldValueReader(languages: [""]).read(pair.value, as: field.type, key: key, diagnostics: &diagnostics) {
                values.append((key, Self.plain(value)))
            }
        }
        for field in params.values.sorted(by: { $0.name < $1.name }) where field.required && fields.node(field.name) == nil {
            diagnostics.append(.error(at: fileStart, "front matter is missing '\(field.name)', which site.yaml requires of every page (params: \(field.name)); add '\(field.name): ...'"))
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        let place = Self.place(contentPath: contentPath, slug: slug)
        var page = Page(contentPath: contentPath, sourcePath: sourcePath, kind: place.kind, section: place.section,
                    listsSection: place.listsSection, route: place.route, title: title ?? "",
                    description: description, layout: layout, layoutLocation: fields.node("layout")?.location,
                    weight: weight, draft: draft, date: date, list: list.map(Self.sectionName),
                    listLocation: fields.node("list")?.location, paginate: paginate, params: values,
                    body: split.body, bodyLine: split.bodyLine)
        page.queries = queries
        return page
    }

    /// `collections: {people: all, events: {format: workshop}}`: records the page's template gets, each
    /// collection under its name. Checked against the collections once they are loaded.
    static func queries(_ node: YAMLNode, diagnostics: inout [Diagnostic]) -> [CollectionQuery] {
        guard case .mapping(let pairs) = node.kind else {
            diagnostics.append(.error(at: node.location, "'collections' maps collection names to the records wanted, like {people: all} or {people: {country: FR}}; found \(node.typeName)"))
            return []
        }
        var result: [CollectionQuery] = []
        for pair in pairs {
            let name = pair.key.scalarText ?? ""
            if pair.value.scalarText == "all" {
                result.append(CollectionQuery(collection: name, location: pair.key.location))
                continue
            }
            guard case .mapping(let criteria) = pair.value.kind else {
                diagnostics.append(.error(at: pair.value.location, "'collections: \(name)' is 'all' or the values wanted, like {country: FR}; found \(FieldReader.describe(pair.value))"))
                continue
            }
            var query = CollectionQuery(collection: name, location: pair.key.location)
            for criterion in criteria {
                guard let field = criterion.key.scalarText, let value = criterion.value.scalarText else {
                    diagnostics.append(.error(at: criterion.value.location, "a filter is 'field: value', like country: FR"))
                    continue
                }
                query.criteria[field] = value
                query.criteriaLocations[field] = criterion.value.location
            }
            result.append(query)
        }
        return result
    }

    /// A declared field's value as templates see it through `page.params`.
    static func plain(_ value: FieldValue) -> Value {
        switch value {
        case .integer(let n): return .int(n)
        case .number(let n): return .double(n)
        case .bool(let b): return .bool(b)
        case .list(let items): return .array(items.map(plain))
        case .group(let values): return .object(values.keys.sorted().map { ($0, plain(values[$0]!)) })
        default: return .string(value.text(in: ""))
        }
    }

    struct Place {
        var kind: Page.Kind
        var section: String
        var listsSection: String?
        var route: String
    }

    /// Where a Markdown file lands: `index.md` → `/`, `a/index.md` → `/a/`, `a/b.md` → `/a/b/` (or `/a/<slug>/`).
    static func place(contentPath: String, slug: String?) -> Place {
        var components = contentPath.split(separator: "/").map(String.init)
        let file = components.removeLast()
        let folder = components.joined(separator: "/")
        let stem = String(file.dropLast(3))
        if stem == "index" {
            if components.isEmpty { return Place(kind: .home, section: "", listsSection: "", route: "/") }
            let parent = components.dropLast().joined(separator: "/")
            return Place(kind: .section, section: parent, listsSection: folder, route: "/" + folder + "/")
        }
        let segment = slug ?? stem
        return Place(kind: .page, section: folder, listsSection: nil,
                     route: "/" + (folder.isEmpty ? "" : folder + "/") + segment + "/")
    }

    /// `programs/`, `/programs` and `programs` all name the section `programs`.
    static func sectionName(_ text: String) -> String {
        text.split(separator: "/").joined(separator: "/")
    }
}
