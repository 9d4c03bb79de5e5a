import SiteModel

/// Files made from the site as a whole: `partners.json`, `robots.txt`, `sitemap.xml`.
public enum SiteExports {
    /// All files for a site whose pages are at `routes`; `translations` gives, for a route, the route of the
    /// same page in each language (by language key) for the sitemap's alternates.
    public static func files(for site: Site, routes: [String], translations: [String: [String: String]] = [:]) -> [OutputFile] {
        var files = [OutputFile(path: "robots.txt", text: robots(baseURL: site.config.baseURL))]
        if !site.partners.isEmpty {
            files.append(OutputFile(path: "partners.json", text: partnersJSON(site.partners, baseURL: site.config.baseURL)))
        }
        if let base = site.config.baseURL {
            files.append(OutputFile(path: "sitemap.xml", text: sitemap(routes: routes, baseURL: base,
                                                                       translations: translations, languages: site.config.languages)))
        }
        return files
    }

    /// The files `files(for:)` writes for this site, before it is rendered.
    public static func names(for site: Site) -> [String] {
        ["robots.txt"] + (site.partners.isEmpty ? [] : ["partners.json"]) + (site.config.baseURL == nil ? [] : ["sitemap.xml"])
    }

    public static func robots(baseURL: String?) -> String {
        var text = "User-agent: *\nAllow: /\n"
        if let baseURL { text += "\nSitemap: \(baseURL)sitemap.xml\n" }
        return text
    }

    /// The sitemap protocol needs absolute URLs, so it exists only when `base_url` is set. A page with
    /// translations lists each of them (itself included) and `x-default` as `xhtml:link` alternates.
    public static func sitemap(routes: [String], baseURL: String, translations: [String: [String: String]] = [:],
                               languages: [Language] = []) -> String {
        let multilingual = languages.count > 1
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\""
            + (multilingual ? " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n" : ">\n")
        func address(_ route: String) -> String { HTML.escape(baseURL + RelativeURL.encodedPath(route.dropFirst())) }
        for route in routes.sorted() {
            let versions = translations[route] ?? [:]
            guard multilingual, versions.count > 1 else {
                xml += "  <url><loc>\(address(route))</loc></url>\n"
                continue
            }
            xml += "  <url>\n    <loc>\(address(route))</loc>\n"
            for language in languages {
                if let target = versions[language.key] {
                    xml += "    <xhtml:link rel=\"alternate\" hreflang=\"\(HTML.escape(language.code))\" href=\"\(address(target))\"/>\n"
                }
            }
            if let main = versions[languages[0].key] {
                xml += "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"\(address(main))\"/>\n"
            }
            xml += "  </url>\n"
        }
        return xml + "</urlset>\n"
    }

    /// The validated partner data, for reuse by others: fields in a fixed order, partners in file order.
    /// `path` is the partner page relative to the site root; `page_url` is absolute when `base_url` is set.
    public static func partnersJSON(_ partners: [Partner], baseURL: String?) -> String {
        let records = partners.map { partner -> String in
            let programs = partner.programs.map { program in
                JSONText.object([
                    ("name", JSONText.string(program.name)),
                    ("level", program.level.map(JSONText.string)),
                    ("description", program.description.map(JSONText.string)),
                ], indent: "")
            }
            let path = "partners/\(partner.id)/"
            return JSONText.object([
                ("id", JSONText.string(partner.id)),
                ("name", JSONText.string(partner.name)),
                ("country", JSONText.string(partner.country)),
                ("country_name", JSONText.string(Country.name(for: partner.country) ?? partner.country)),
                ("city", JSONText.string(partner.city)),
                ("kind", partner.kind.map(JSONText.string)),
                ("areas", JSONText.array(partner.areas.map(JSONText.string))),
                ("programs", JSONText.array(programs, indent: "")),
                ("since", partner.since.map { JSONText.string($0.description) }),
                ("url", partner.url.map(JSONText.string)),
                ("path", JSONText.string(path)),
                ("page_url", baseURL.map { JSONText.string($0 + path) }),
            ], indent: "")
        }
        return JSONText.object([
            ("count", String(partners.count)),
            ("partners", JSONText.array(records, indent: "")),
        ], indent: "") + "\n"
    }
}
