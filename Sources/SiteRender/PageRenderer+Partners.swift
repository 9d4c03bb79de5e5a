import SiteMarkdown
import SiteModel

/// The partner pages: `/partners/` grouped by country, one page per area of cooperation, and one page per partner.
extension PageRenderer {
    /// The route of a partner's page.
    public static func route(of partner: Partner) -> String { "/partners/\(partner.id)/" }

    /// The route of the list of partners in one area.
    public static func route(ofArea area: String) -> String { "/partners/areas/\(Slug.make(area))/" }

    /// Partners as templates see them, grouped by country (groups by country name, partners by name).
    func partnersContext(_ partners: [Partner], from route: String, area: String? = nil) -> [String: Any] {
        let selected = partners.filter { area == nil || $0.areas.contains(area!) }
        let byCountry = Dictionary(grouping: selected, by: \.country)
        let countries = byCountry.keys.map { (code: $0, name: Country.name(for: $0) ?? $0) }
            .sorted { $0.name != $1.name ? $0.name < $1.name : $0.code < $1.code }
        let countryContexts = countries.map { country -> [String: Any] in
            let members = byCountry[country.code, default: []].sorted(by: Self.partnerOrder)
            return ["code": country.code, "name": country.name, "id": "country-" + country.code.lowercased(),
                    "count": members.count, "partners": members.map { partnerContext($0, from: route) }]
        }
        let areas = site.config.areas.compactMap { name -> [String: Any]? in
            let count = partners.filter { $0.areas.contains(name) }.count
            guard count > 0 else { return nil }
            return ["name": name, "url": link(route, to: Self.route(ofArea: name)), "count": count,
                    "current": name == area]
        }
        var context: [String: Any] = [
            "count": selected.count,
            "country_count": countries.count,
            "summary": Self.summary(partners: selected.count, countries: countries.count),
            "countries": countryContexts,
            "items": selected.sorted(by: Self.partnerOrder).map { partnerContext($0, from: route) },
            "areas": areas,
            "has_areas": !areas.isEmpty,
            "all_url": link(route, to: "/partners/"),
            "is_filtered": area != nil,
            "json_url": link(route, to: "/partners.json"),
        ]
        if let area { context["area"] = area }
        return context
    }

    static func partnerOrder(_ a: Partner, _ b: Partner) -> Bool {
        a.name.lowercased() != b.name.lowercased() ? a.name.lowercased() < b.name.lowercased() : a.id < b.id
    }

    /// "12 partners in 3 countries", "1 partner in 1 country".
    static func summary(partners: Int, countries: Int) -> String {
        "\(partners) partner\(partners == 1 ? "" : "s") in \(countries) countr\(countries == 1 ? "y" : "ies")"
    }

    /// `health-authority` → `Health authority`.
    static func label(forKind kind: String) -> String {
        let words = kind.split(separator: "-").joined(separator: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    func partnerContext(_ partner: Partner, from route: String) -> [String: Any] {
        var context: [String: Any] = [
            "id": partner.id, "name": partner.name, "city": partner.city,
            "country": partner.country, "country_name": Country.name(for: partner.country) ?? partner.country,
            "url": link(route, to: Self.route(of: partner)),
            "areas": partner.areas.map { ["name": $0, "url": link(route, to: Self.route(ofArea: $0))] },
            "has_areas": !partner.areas.isEmpty,
            "area_names": partner.areas.joined(separator: "|"),
            "programs": partner.programs.map { program -> [String: Any] in
                var p: [String: Any] = ["name": program.name]
                if let level = program.level { p["level"] = level }
                if let description = program.description { p["description"] = description }
                return p
            },
            "has_programs": !partner.programs.isEmpty,
        ]
        if let kind = partner.kind {
            context["kind"] = kind
            context["kind_label"] = Self.label(forKind: kind)
        }
        if let since = partner.since {
            context["since"] = since.description
            context["since_display"] = since.month.map { "\(DateFormat.months[$0 - 1]) \(since.year)" } ?? String(since.year)
        }
        if let website = partner.url { context["website"] = website }
        return context
    }

    /// schema.org JSON-LD for a partner, safe inside `<script>` (see `JSONText`).
    func jsonLD(for partner: Partner) -> String {
        let type = ["university", "faculty"].contains(partner.kind ?? "") ? "CollegeOrUniversity" : "EducationalOrganization"
        let address = JSONText.object([
            ("@type", JSONText.string("PostalAddress")),
            ("addressLocality", JSONText.string(partner.city)),
            ("addressCountry", JSONText.string(partner.country)),
        ])
        let absolute = site.config.baseURL.map { $0 + String(Self.route(of: partner).dropFirst()) }
        return JSONText.object([
            ("@context", JSONText.string("https://schema.org")),
            ("@type", JSONText.string(type)),
            ("@id", absolute.map(JSONText.string)),
            ("name", JSONText.string(partner.name)),
            ("address", address),
            ("sameAs", partner.url.map(JSONText.string)),
            ("knowsAbout", partner.areas.isEmpty ? nil : JSONText.array(partner.areas.map(JSONText.string))),
        ])
    }

    /// One page per partner, from the data alone plus `Content/partners/<id>.md` when it exists.
    func renderPartnerPages() throws(DiagnosticsError) -> [RenderedPage] {
        guard !site.partners.isEmpty else { return [] }
        guard templates.names.contains("partner") else {
            throw DiagnosticsError([.error(at: SourceLocation(file: "Templates/"),
                "partners.yaml has partners but there is no layout for their pages; add Templates/partner.mustache")])
        }
        var rendered: [RenderedPage] = []
        var diagnostics: [Diagnostic] = []
        let partnersPage = site.pages.first { $0.route == "/partners/" }
        for partner in site.partners {
            let route = Self.route(of: partner)
            let prose = partner.page
            let body = prose.map { renderMarkdown(of: $0, route: route) } ?? .empty
            if let prose, !body.problems.isEmpty {
                diagnostics += Self.diagnostics(for: body, of: prose)
                continue
            }
            let kindText = partner.kind.map { Self.label(forKind: $0) } ?? "Partner"
            let page = Page(contentPath: "partners/\(partner.id).md", sourcePath: "Content/data/partners.yaml",
                            kind: .page, section: "partners", listsSection: nil, route: route, title: partner.name,
                            description: prose?.description
                                ?? "\(kindText) in \(partner.city), \(Country.name(for: partner.country) ?? partner.country)")
            var context = baseContext(for: page, route: route, body: body)
            context["partner"] = partnerContext(partner, from: route)
            context["json_ld"] = jsonLD(for: partner)
            if partnersPage == nil { context["breadcrumbs"] = [] as [Any] }
            rendered.append(RenderedPage(route: route, outputPath: String(route.dropFirst()) + "index.html",
                                         html: templates.render(context, with: "partner"), sourcePath: prose?.sourcePath,
                                         layout: "partner", markdownLinks: prose.map { Self.locations(of: body, in: $0) } ?? [:]))
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return rendered
    }
}
