import SiteModel

/// Files made from the site as a whole: `partners.json`, `robots.txt`, `sitemap.xml`.
public enum SiteExports {
    /// All files for a site whose pages are at `routes`.
    public static func files(for site: Site, routes: [String]) -> [OutputFile] {
        var files = [OutputFile(path: "robots.txt", text: robots(baseURL: site.config.baseURL))]
        if !site.partners.isEmpty {
            files.append(OutputFile(path: "partners.json", text: partnersJSON(site.partners, baseURL: site.config.baseURL)))
        }
        if let base = site.config.baseURL {
            files.append(OutputFile(path: "sitemap.xml", text: sitemap(routes: routes, baseURL: base)))
        }
        return files
    }

    public static func robots(baseURL: String?) -> String {
        var text = "User-agent: *\nAllow: /\n"
        if let baseURL { text += "\nSitemap: \(baseURL)sitemap.xml\n" }
        return text
    }

    /// The sitemap protocol needs absolute URLs, so it exists only when `base_url` is set.
    public static func sitemap(routes: [String], baseURL: String) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for route in routes.sorted() {
            xml += "  <url><loc>\(HTML.escape(baseURL + route.dropFirst()))</loc></url>\n"
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
