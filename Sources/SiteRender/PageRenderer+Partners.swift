import SiteMarkdown
import SiteModel

/// The partner pages: `/partners/` grouped by country, one page per area of cooperation, and one page per partner.
extension PageRenderer {
    /// The route of a partner's page in this renderer's language.
    func partnerRoute(_ partner: Partner) -> String { localized("/partners/\(partner.id)/") }

    /// The route of the list of partners in one area (named by its default-language name, so it is stable).
    func areaRoute(_ area: String) -> String { localized("/partners/areas/\(Slug.make(area))/") }

    /// Partners as templates see them, grouped by country (groups by country name, partners by name).
    func partnersContext(_ partners: [Partner], from route: String, area: String? = nil) -> [String: Any] {
        let selected = partners.filter { area == nil || $0.areas.contains(area!) }
        let byCountry = Dictionary(grouping: selected, by: \.country)
        let countries = byCountry.keys.map { (code: $0, name: strings.country($0)) }
            .sorted { $0.name != $1.name ? $0.name < $1.name : $0.code < $1.code }
        let countryContexts = countries.map { country -> [String: Any] in
            let members = byCountry[country.code, default: []].sorted(by: partnerOrder)
            return ["code": country.code, "name": country.name, "id": "country-" + country.code.lowercased(),
                    "count": members.count, "partners": members.map { partnerContext($0, from: route) }]
        }
        let areas = site.config.areas.compactMap { name -> [String: Any]? in
            let members = partners.filter { $0.areas.contains(name) }
            guard !members.isEmpty else { return nil }
            return ["name": strings.area(name), "key": name, "url": link(route, to: areaRoute(name)), "count": members.count,
                    "current": name == area, "summary": areaSummary(members, area: name)]
        }
        let overall = strings.partnerSummary(partners: partners.count, countries: Set(partners.map(\.country)).count)
        var context: [String: Any] = [
            "count": selected.count,
            "country_count": countries.count,
            "summary": area.map { areaSummary(selected, area: $0) } ?? overall,
            "all_summary": overall,
            "countries": countryContexts,
            "items": selected.sorted(by: partnerOrder).map { partnerContext($0, from: route) },
            "areas": areas,
            "has_areas": !areas.isEmpty,
            "all_url": link(route, to: localized("/partners/")),
            "is_filtered": area != nil,
            "json_url": link(route, to: "/partners.json"),
        ]
        if let area { context["area"] = strings.area(area) }
        return context
    }

    /// "2 partners in 2 countries in Nursing".
    func areaSummary(_ partners: [Partner], area: String) -> String {
        strings.format("partners.in_area", fallback: "{summary} in {area}", [
            "summary": strings.partnerSummary(partners: partners.count, countries: Set(partners.map(\.country)).count),
            "area": strings.area(area),
        ])
    }

    /// By name in this language, then id.
    func partnerOrder(_ a: Partner, _ b: Partner) -> Bool {
        let x = a.name(in: language.key).lowercased(), y = b.name(in: language.key).lowercased()
        return x != y ? x < y : a.id < b.id
    }

    /// "University in Lille, France".
    func placeLine(_ partner: Partner) -> String {
        let kind = partner.kind.map { label(forKind: $0) } ?? strings.text("kind.partner", fallback: "Partner")
        return strings.format("partner.description", fallback: "{kind} in {city}, {country}",
                              ["kind": kind, "city": partner.city(in: language.key), "country": strings.country(partner.country)])
    }

    /// The kind in this language (`kind.<kind>` strings), else `health-authority` → `Health authority`.
    func label(forKind kind: String) -> String {
        strings.text("kind.\(kind)", fallback: Self.defaultLabel(forKind: kind))
    }

    static func defaultLabel(forKind kind: String) -> String {
        let words = kind.split(separator: "-").joined(separator: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    func partnerContext(_ partner: Partner, from route: String) -> [String: Any] {
        var context: [String: Any] = [
            "id": partner.id, "name": partner.name(in: language.key), "city": partner.city(in: language.key),
            "country": partner.country, "country_name": strings.country(partner.country),
            "url": link(route, to: partnerRoute(partner)),
            "areas": partner.areas.map { ["name": strings.area($0), "key": $0, "url": link(route, to: areaRoute($0))] },
            "has_areas": !partner.areas.isEmpty,
            "area_names": partner.areas.joined(separator: "|"),
            "programs": partner.programs.map { program -> [String: Any] in
                var p: [String: Any] = ["name": program.names[language.key] ?? program.name]
                if let level = program.level { p["level"] = strings.text("level.\(level)", fallback: level) }
                if let description = program.descriptions[language.key] ?? program.description { p["description"] = description }
                return p
            },
            "place_line": placeLine(partner),
            "location_line": strings.format("partner.location", fallback: "{city}, {country}",
                                            ["city": partner.city(in: language.key), "country": strings.country(partner.country)]),
            "has_programs": !partner.programs.isEmpty,
        ]
        if let kind = partner.kind {
            context["kind"] = kind
            context["kind_label"] = label(forKind: kind)
        }
        if let since = partner.since {
            context["since"] = since.description
            let display = since.month.map { strings.monthYear(year: since.year, month: $0) } ?? String(since.year)
            context["since_display"] = display
            context["since_line"] = strings.format("partner.since", fallback: "since {date}", ["date": display])
        }
        if let website = partner.url { context["website"] = website }
        return context
    }

    /// schema.org JSON-LD for a partner, safe inside `<script>` (see `JSONText`).
    func jsonLD(for partner: Partner) -> String {
        let type = ["university", "faculty"].contains(partner.kind ?? "") ? "CollegeOrUniversity" : "EducationalOrganization"
        let address = JSONText.object([
            ("@type", JSONText.string("PostalAddress")),
            ("addressLocality", JSONText.string(partner.city(in: language.key))),
            ("addressCountry", JSONText.string(partner.country)),
        ])
        let absolute = site.config.baseURL.map { $0 + RelativeURL.encodedPath(partnerRoute(partner).dropFirst()) }
        return JSONText.object([
            ("@context", JSONText.string("https://schema.org")),
            ("@type", JSONText.string(type)),
            ("@id", absolute.map(JSONText.string)),
            ("name", JSONText.string(partner.name(in: language.key))),
            ("address", address),
            ("sameAs", partner.url.map(JSONText.string)),
            ("knowsAbout", partner.areas.isEmpty ? nil : JSONText.array(partner.areas.map(JSONText.string))),
        ])
    }

    /// One page per partner, from the data alone plus `Content/partners/<id>.md` when it exists.
    func renderPartnerPages(_ consume: (RenderedPage) -> RenderedPage) throws(DiagnosticsError) -> [RenderedPage] {
        guard !site.partners.isEmpty else { return [] }
        guard templates.layouts.contains("partner") else {
            throw DiagnosticsError([.error(at: SourceLocation(file: "Templates/"),
                "partners.yaml has partners but there is no layout for their pages; add Templates/partner.mustache")])
        }
        let partnersPage = pages.first { $0.contentPath == "partners/index.md" }
        let isDefault = language.key == site.config.defaultLanguage.key
        let outcomes = parallelMap(site.partners) { partner -> Result<RenderedPage, DiagnosticsError> in
            let route = partnerRoute(partner)
            let prose = isDefault ? partner.page : partner.translatedPages[language.key]
            let body = prose.map { renderMarkdown(of: $0, route: route) } ?? .empty
            if let prose { bodies?.release(prose) }
            if let prose, !body.problems.isEmpty {
                return .failure(DiagnosticsError(Self.diagnostics(for: body, of: prose)))
            }
            var page = Page(contentPath: "partners/\(partner.id).md", sourcePath: "Content/data/partners.yaml",
                            kind: .page, section: "partners", listsSection: nil, route: route,
                            title: partner.name(in: language.key),
                            description: prose?.description ?? placeLine(partner))
            page.language = language.key
            var context = baseContext(for: page, route: route, body: body)
            context["partner"] = partnerContext(partner, from: route)
            context["json_ld"] = jsonLD(for: partner)
            if partnersPage == nil { context["breadcrumbs"] = [] as [Any] }
            return .success(consume(RenderedPage(route: route, outputPath: String(route.dropFirst()) + "index.html",
                                         html: templates.render(context, with: "partner"), sourcePath: prose?.sourcePath,
                                         layout: "partner", markdownLinks: prose.map { Self.locations(of: body, in: $0) } ?? [:],
                                         translations: translations[unprefixed(route)] ?? [:])))
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
}
