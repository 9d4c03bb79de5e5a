import SiteModel

/// Turns one Markdown file into a `Page`: front matter fields typed and checked, route derived from its path.
struct PageLoader {
    static let knownFields: [String] = ["title", "description", "layout", "slug", "weight", "draft", "date", "list", "paginate", "partners"]

    /// - Parameters:
    ///   - contentPath: path relative to `Content/`, e.g. `programs/ottawa.md`.
    ///   - sourcePath: path relative to the site root, for diagnostics.
    ///   - params: the extra fields the site declares (`params:` in `site.yaml`); any other key is an error.
    static func load(source: String, contentPath: String, sourcePath: String,
                     params: [String: DeclaredField] = [:]) throws(DiagnosticsError) -> Page {
        let split = try FrontMatter.split(source, file: sourcePath)
        var diagnostics: [Diagnostic] = []
        let fileStart = SourceLocation(file: sourcePath, line: 1, column: 1)
        guard let yaml = split.yaml else {
            throw DiagnosticsError([.error(at: fileStart,
                "page has no front matter; start the file with '---', a line 'title: ...', and '---'")])
        }
        guard let root = try YAMLDocument.parse(yaml, file: sourcePath, firstLine: split.yamlLine) else {
            throw DiagnosticsError([.error(at: fileStart, "front matter is empty; add 'title: ...'")])
        }
        var fields = FieldReader(root, what: "front matter", diagnostics: &diagnostics)
        let title = fields.string("title", required: true)
        let description = fields.string("description")
        let layout = fields.string("layout")
        let slug = fields.string("slug")
        let weight = fields.int("weight")
        let draft = fields.bool("draft") ?? false
        let date = fields.date("date")
        let list = fields.string("list")
        let paginate = fields.int("paginate", minimum: 1)
        diagnostics += fields.diagnostics
        let partnerFilter = fields.node("partners").map { Self.partnerFilter($0, diagnostics: &diagnostics) }

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
            if let value = FieldTypeReader.read(pair.value, as: field.type, key: key, diagnostics: &diagnostics) {
                values.append((key, value))
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
        page.partnerFilter = partnerFilter
        page.partnerFilterLocation = fields.node("partners")?.location
        return page
    }

    /// `partners: { country: FR, area: Nursing, kind: university }`, or `partners: all`.
    static func partnerFilter(_ node: YAMLNode, diagnostics: inout [Diagnostic]) -> PartnerFilter {
        if node.scalarText == "all" { return PartnerFilter() }
        var fields = FieldReader(node, what: "'partners'", diagnostics: &diagnostics)
        diagnostics += fields.unknownKeys(known: ["country", "area", "kind"])
        let filter = PartnerFilter(country: fields.string("country"), area: fields.string("area"), kind: fields.string("kind"))
        diagnostics += fields.diagnostics
        if let country = filter.country, let at = fields.node("country"), Country.name(for: country) == nil {
            diagnostics.append(.error(at: at.location, "'partners: country' must be an ISO 3166-1 alpha-2 code like FR, found \"\(country)\""))
        }
        return filter
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
